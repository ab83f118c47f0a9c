package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The jobs cancelled, as read from the control topic, and who waits to hear of one: a running
 * attempt, or a job waiting for its next attempt. A cancellation is remembered as long as its job
 * may still start or run ({@link WorkerSettings#cancellationHorizon()}), counted from when it was
 * published; at most {@code max-remembered} of them, and one forgotten early for want of room is
 * counted and shown in health, never silent.
 */
@Component
class Cancellations {

	private static final Log logger = LogFactory.getLog(Cancellations.class);

	private final Duration horizon;

	private final int maxRemembered;

	private final Clock clock = Clock.systemUTC();

	/** Job id to when it was cancelled (epoch millis), in the order heard of: about the oldest first. */
	private final Map<String, Long> cancelled = new LinkedHashMap<>();

	private final Map<String, Runnable> watchers = new ConcurrentHashMap<>();

	private final List<BiConsumer<String, Integer>> fenceListeners = new CopyOnWriteArrayList<>();

	private final Counter expired;

	private final Counter forgottenEarly;

	private final AtomicLong forgottenEarlyCount = new AtomicLong();

	Cancellations(WorkerSettings settings, MeterRegistry meters) {
		this.horizon = settings.cancellationHorizon();
		this.maxRemembered = settings.cancellation().maxRemembered();
		Gauge.builder("inloop.worker.cancellations.remembered", this, Cancellations::remembered)
			.description("Cancelled job ids this worker remembers")
			.register(meters);
		this.expired = Counter.builder("inloop.worker.cancellations.forgotten")
			.description("Cancellations forgotten: their job can no longer run (expired), or for want of room (capacity)")
			.tag("reason", "expired")
			.register(meters);
		this.forgottenEarly = Counter.builder("inloop.worker.cancellations.forgotten")
			.description("Cancellations forgotten: their job can no longer run (expired), or for want of room (capacity)")
			.tag("reason", "capacity")
			.register(meters);
	}

	/** The job was cancelled at {@code at} (when the cancellation was published). */
	void cancel(String jobId, Instant at) {
		long now = this.clock.millis();
		if (at.toEpochMilli() >= now - this.horizon.toMillis()) {
			synchronized (this.cancelled) {
				this.cancelled.remove(jobId);
				this.cancelled.put(jobId, at.toEpochMilli());
				forgetExpired(now);
				forgetOldestBeyondRoom();
			}
		}
		Runnable watcher = this.watchers.get(jobId);
		if (watcher != null) {
			watcher.run();
		}
	}

	/**
	 * Attempts up to {@code attempt} of the job lost their lease: whoever runs one stops it. Not a
	 * cancellation, and not remembered: the job's later attempts run.
	 */
	void fence(String jobId, int attempt) {
		this.fenceListeners.forEach((listener) -> listener.accept(jobId, attempt));
	}

	/** {@code listener} hears of every {@link #fence} with the job id and the attempt fenced. */
	void onFence(BiConsumer<String, Integer> listener) {
		this.fenceListeners.add(listener);
	}

	boolean isCancelled(String jobId) {
		long forgetBefore = this.clock.millis() - this.horizon.toMillis();
		synchronized (this.cancelled) {
			Long at = this.cancelled.get(jobId);
			return at != null && at >= forgetBefore;
		}
	}

	private void forgetExpired(long now) {
		long forgetBefore = now - this.horizon.toMillis();
		for (Iterator<Long> oldest = this.cancelled.values().iterator(); oldest.hasNext();) {
			if (oldest.next() >= forgetBefore) {
				return;
			}
			oldest.remove();
			this.expired.increment();
		}
	}

	private void forgetOldestBeyondRoom() {
		for (Iterator<String> oldest = this.cancelled.keySet().iterator(); this.cancelled.size() > this.maxRemembered;) {
			String jobId = oldest.next();
			oldest.remove();
			this.forgottenEarly.increment();
			if (this.forgottenEarlyCount.incrementAndGet() % 10_000 == 1) {
				logger.warn("Forgetting the cancellation of job " + jobId + " before its job's time is up: "
						+ this.maxRemembered + " remembered (inloop.worker.cancellation.max-remembered); "
						+ this.forgottenEarlyCount.get() + " forgotten early so far");
			}
		}
	}

	/**
	 * Runs {@code onCancel} once the job is cancelled, at once if it already is.
	 * @return stops watching
	 */
	Runnable watch(String jobId, Runnable onCancel) {
		this.watchers.put(jobId, onCancel);
		if (isCancelled(jobId)) {
			onCancel.run();
		}
		return () -> this.watchers.remove(jobId, onCancel);
	}

	/** Waits up to {@code timeout} for the job to be cancelled; returns whether it is. */
	boolean await(String jobId, Duration timeout) throws InterruptedException {
		CompletableFuture<Void> cancellation = new CompletableFuture<>();
		Runnable stopWatching = watch(jobId, () -> cancellation.complete(null));
		try {
			cancellation.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			stopWatching.run();
		}
	}

	/** How long a cancellation is remembered, and so how far back the control topic is read at start-up. */
	Duration horizon() {
		return this.horizon;
	}

	int remembered() {
		synchronized (this.cancelled) {
			return this.cancelled.size();
		}
	}

	int maxRemembered() {
		return this.maxRemembered;
	}

	/** Cancellations forgotten for want of room before their job's time was up. */
	long forgottenEarly() {
		return this.forgottenEarlyCount.get();
	}

}
