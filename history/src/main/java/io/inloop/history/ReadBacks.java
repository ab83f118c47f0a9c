package io.inloop.history;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every read-back of one instance ({@link ReadBack}s of a consumer each): admitted only within
 * {@link ReadBackLimits} per user and per instance, refused at once otherwise
 * ({@link ReadBackRefusedException}); run on threads of their own, as many as may be under way, so
 * that no other work of the service (a job read, a request) ever waits behind a read-back; refused
 * when the range is larger than one may span, and ended when it takes too long. A read-back holds its
 * place from subscription until it completes, fails or is cancelled.
 */
public final class ReadBacks implements AutoCloseable {

	private final ReadBackLimits limits;

	private final Scheduler readers;

	private final Duration pollTimeout;

	private final Map<String, Integer> perUser = new HashMap<>(); // guarded by this

	private int underWay; // guarded by this

	/** @param threadName prefix of the read-back threads' names */
	public ReadBacks(ReadBackLimits limits, String threadName, Duration pollTimeout) {
		this.limits = limits;
		this.pollTimeout = pollTimeout;
		// A thread per admitted read-back: admission bounds the work, so tasks never queue for long.
		this.readers = Schedulers.newBoundedElastic(limits.perInstance(), 1024 * limits.perInstance(), threadName, 60,
				true);
	}

	public ReadBackLimits limits() {
		return this.limits;
	}

	/** Read-backs under way now. */
	public synchronized int underWay() {
		return this.underWay;
	}

	/**
	 * The records of the read {@code open} returns, for {@code user}, read only as fast as they are
	 * taken; fails with {@link ReadBackRefusedException} before any record when the user or the
	 * instance is at its limit or the range is too large, and after {@link ReadBackLimits#maxDuration()}.
	 */
	public Flux<ConsumerRecord<byte[], byte[]>> read(String user, Callable<RangeRead> open) {
		return Flux.defer(() -> {
			ReadBackRefusedException refused = admit(user);
			if (refused != null) {
				return Flux.error(refused);
			}
			Mono<Void> deadline = Mono.delay(this.limits.maxDuration())
				.then(Mono.error(new ReadBackRefusedException(ReadBackRefusedException.Reason.TOO_LONG,
						"The read-back took longer than " + this.limits.maxDuration(), this.limits.retryAfter())));
			// Released before the end reaches the subscriber (doFinally would run after it), so a caller
			// that sees the end, a refusal included, may read back again at once; once, whichever end comes
			AtomicBoolean released = new AtomicBoolean();
			Runnable release = () -> {
				if (released.compareAndSet(false, true)) {
					release(user);
				}
			};
			return ReadBack.of(() -> bounded(open.call()), this.readers, this.pollTimeout)
				.takeUntilOther(deadline)
				.doOnTerminate(release)
				.doOnCancel(release);
		});
	}

	private RangeRead bounded(RangeRead read) {
		if (read.total() > this.limits.maxRecords()) {
			read.close();
			throw new ReadBackRefusedException(ReadBackRefusedException.Reason.TOO_LARGE, "The range spans "
					+ read.total() + " records, more than the " + this.limits.maxRecords() + " a read-back may",
					this.limits.retryAfter());
		}
		return read;
	}

	private synchronized @Nullable ReadBackRefusedException admit(String user) {
		int users = this.perUser.getOrDefault(user, 0);
		if (users >= this.limits.perUser()) {
			return new ReadBackRefusedException(ReadBackRefusedException.Reason.USER_BUSY, "At most "
					+ this.limits.perUser() + " read-backs per user at once", this.limits.retryAfter());
		}
		if (this.underWay >= this.limits.perInstance()) {
			return new ReadBackRefusedException(ReadBackRefusedException.Reason.INSTANCE_BUSY,
					"This instance reads back as much history as it may at once", this.limits.retryAfter());
		}
		this.perUser.put(user, users + 1);
		this.underWay++;
		return null;
	}

	private synchronized void release(String user) {
		this.underWay--;
		this.perUser.computeIfPresent(user, (key, count) -> (count > 1) ? count - 1 : null);
	}

	/** Stops the read-back threads; read-backs still going fail. */
	@Override
	public void close() {
		this.readers.dispose();
	}

}
