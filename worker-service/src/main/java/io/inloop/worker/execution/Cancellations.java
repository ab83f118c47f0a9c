package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

/**
 * The jobs cancelled lately, as read from the control topic, and who waits to hear of one: a
 * running attempt, or a job waiting for its next attempt. Bounded in time and size.
 */
@Component
class Cancellations {

	private final Duration remember;

	private final int maxRemembered;

	private final Clock clock = Clock.systemUTC();

	/** Job id to when it was cancelled, oldest first. */
	private final Map<String, Instant> cancelled = new LinkedHashMap<>();

	private final Map<String, Runnable> watchers = new ConcurrentHashMap<>();

	Cancellations(WorkerSettings settings) {
		this.remember = settings.cancellation().remember();
		this.maxRemembered = settings.cancellation().maxRemembered();
	}

	void cancel(String jobId) {
		synchronized (this.cancelled) {
			this.cancelled.remove(jobId);
			this.cancelled.put(jobId, this.clock.instant());
			while (this.cancelled.size() > this.maxRemembered) {
				this.cancelled.remove(this.cancelled.keySet().iterator().next());
			}
		}
		Runnable watcher = this.watchers.get(jobId);
		if (watcher != null) {
			watcher.run();
		}
	}

	boolean isCancelled(String jobId) {
		Instant forgetBefore = this.clock.instant().minus(this.remember);
		synchronized (this.cancelled) {
			Instant at = this.cancelled.get(jobId);
			if (at != null && at.isBefore(forgetBefore)) {
				this.cancelled.remove(jobId);
				return false;
			}
			return at != null;
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

	/** How far back the control topic is read at start-up. */
	Duration remembered() {
		return this.remember;
	}

}
