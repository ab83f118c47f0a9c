package io.inloop.notifier.subscriptions;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.inloop.history.Cursor;
import io.inloop.history.OwnerPartition;
import io.inloop.history.ReadBackRefusedException;
import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.CursorExpiredException;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.notifier.delivery.JobFrameListener;
import io.inloop.notifier.delivery.StatusHistory;
import io.inloop.schemas.JobLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Every frame's way to the connections. Frames of the feed pass the state machine once
 * ({@link LatestJobs}), land in the in-memory window ({@link RecentFrames}) and go, the same
 * instance with the same bytes, to the {@link Connections} that want them. A new connection first
 * gets what it missed (history after its cursor, or snapshots), then joins the live feed without
 * gap or duplicate: joining and taking from the window happen under the one lock the feed takes
 * to accept a frame, and frames the connection got before joining are below its {@code from}.
 */
@Component
public class Subscriptions implements JobFrameListener {

	private static final Duration NOT_POSITIONED_RETRY = Duration.ofMillis(100);

	private final Object lock = new Object();

	private final RecentFrames recent; // guarded by lock

	private final LatestJobs latest; // guarded by lock

	private final Connections connections;

	private final StatusHistory history;

	private final ResumeSettings resume;

	private final Counter dropped;

	public Subscriptions(Connections connections, StatusHistory history, ResumeSettings resume, MeterRegistry meters) {
		this.connections = connections;
		this.history = history;
		this.resume = resume;
		this.recent = new RecentFrames(resume.window());
		this.latest = new LatestJobs(resume.maxJobs());
		this.dropped = Counter.builder("inloop.notifier.frames.dropped")
			.description("Status events dropped because they do not advance their job (stale or after its end)")
			.register(meters);
		Gauge.builder("inloop.notifier.jobs", this, Subscriptions::jobs)
			.description("Jobs whose latest snapshot the notifier holds (at most inloop.notifier.resume.max-jobs)")
			.register(meters);
		FunctionCounter.builder("inloop.notifier.jobs.evicted", this, Subscriptions::evicted)
			.description("Jobs dropped from the snapshots before their time because max-jobs were held")
			.register(meters);
	}

	/**
	 * A new connection of {@code caller} for {@code audience}. Its frames are {@link #catchUp what
	 * it missed}, then {@link ControlFrame#LIVE}, then live frames from its
	 * {@link Connection#attach sink}; the transport {@link #close closes} it when the client is gone.
	 * @throws ConnectionClosedException when the caller or the instance holds as many as allowed
	 */
	public Connection open(Caller caller, Audience audience) {
		return this.connections.admit(caller, audience);
	}

	/**
	 * What {@code connection} missed since {@code since} (or the snapshots of its jobs, without a
	 * cursor). When the flux completes, the connection is on the live feed: frames from then on
	 * wait in it for its sink. Only a one-owner audience can resume from a cursor.
	 */
	public Flux<Frame> catchUp(Connection connection, @Nullable Cursor since) {
		Flux<Frame> missed = (since != null) ? resume(connection, since) : snapshots(connection, null);
		return missed.takeWhile((frame) -> !connection.isClosing());
	}

	/** The client of {@code connection} is gone. */
	public void close(Connection connection) {
		this.connections.release(connection);
	}

	/**
	 * The frames for a new connection of {@code caller}, for transports that take a flux: what it
	 * missed since {@code since} (or the snapshots of its jobs), {@link ControlFrame#LIVE}, then live
	 * frames until the stream fails with a {@link ConnectionClosedException}.
	 */
	public Flux<Frame> stream(Caller caller, Audience audience, @Nullable Cursor since) {
		return stream(caller, audience, since, () -> true);
	}

	/**
	 * As {@link #stream(Caller, Audience, Cursor)}, for a transport that asks for frames before
	 * its own buffer can take them: frames then wait while {@code writable} is false.
	 */
	public Flux<Frame> stream(Caller caller, Audience audience, @Nullable Cursor since, BooleanSupplier writable) {
		return Flux.defer(() -> {
			Connection connection = open(caller, audience);
			// create, not push: a push sink tells of the first request only, and later demand must drain too.
			Flux<Frame> live = Flux.create((sink) -> {
				sink.onRequest((n) -> connection.flush());
				connection.attach(new FluxFrameSink(sink, writable));
			}, FluxSink.OverflowStrategy.IGNORE);
			// Until live, a client that asks for nothing more is still closed when its queue overflows.
			ClosingSink notLive = new ClosingSink();
			connection.attach(notLive);
			return catchUp(connection, since).concatWith(Flux.just(ControlFrame.LIVE))
				.concatWith(live)
				.takeUntilOther(notLive.closed())
				.doFinally((signal) -> close(connection));
		});
	}

	int jobs() {
		synchronized (this.lock) {
			return this.latest.jobs();
		}
	}

	long evicted() {
		synchronized (this.lock) {
			return this.latest.evicted();
		}
	}

	@Override
	public void snapshot(JobFrame frame) {
		synchronized (this.lock) {
			this.latest.apply(frame);
		}
	}

	@Override
	public void positioned(int partition, int partitions, long offset) {
		synchronized (this.lock) {
			this.recent.positioned(partition, partitions, offset);
		}
	}

	@Override
	public void on(JobFrame frame) {
		synchronized (this.lock) {
			if (this.latest.apply(frame) != JobLifecycle.Move.ACCEPTED) {
				this.dropped.increment();
				return;
			}
			this.recent.add(frame);
		}
		// Outside the lock: a connection that joined meanwhile has this frame already and skips it by offset.
		this.connections.deliver(frame);
	}

	/** Forgets jobs finished or silent long enough before {@code now} (epoch milliseconds). */
	void forget(long now) {
		synchronized (this.lock) {
			this.latest.forget(now - this.resume.recentlyFinished().toMillis(),
					now - this.resume.forgetAfter().toMillis());
		}
	}

	private Flux<Frame> snapshots(Connection connection, @Nullable Boolean recovered) {
		return Flux.defer(() -> {
			String owner = connection.audience().owner();
			List<JobFrame> snapshots;
			synchronized (this.lock) {
				snapshots = (owner != null) ? this.latest.of(owner, connection.audience()) : List.of();
				int partitions = this.recent.partitions();
				if (owner != null && partitions > 0) {
					connection.from(this.recent.next(OwnerPartition.of(owner, partitions)));
				}
				this.connections.add(connection);
			}
			if (owner == null) {
				return Flux.empty();
			}
			return Flux.<Frame>just(ControlFrame.snapshot(recovered, snapshots.size()))
				.concatWith(Flux.fromIterable(snapshots));
		});
	}

	/**
	 * A connection with a cursor: everything after it, or snapshots when that is gone or too far
	 * back to read; a read-back refused for now (limits) or cut off closes it, to resume later.
	 */
	private Flux<Frame> resume(Connection connection, Cursor since) {
		String owner = connection.audience().owner();
		if (owner == null) {
			return Flux.error(new IllegalArgumentException("Only a stream of one owner's jobs can resume from a cursor"));
		}
		return catchUp(connection, owner, since.partition(), since.offset() + 1)
			.onErrorResume(CursorExpiredException.class, (ex) -> snapshots(connection, false))
			.onErrorResume(ReadBackRefusedException.class, (ex) -> (ex.reason() == ReadBackRefusedException.Reason.TOO_LARGE)
					? snapshots(connection, false) : Flux.error(new ConnectionClosedException(CloseReason.HISTORY_BUSY)));
	}

	/**
	 * From the window when it covers {@code from}, and joins the live feed in the same step; else
	 * reads the topic back to where the window starts and tries again, the window having moved on.
	 */
	private Flux<Frame> catchUp(Connection connection, String owner, int partition, long from) {
		return Flux.defer(() -> {
			long coveredFrom;
			synchronized (this.lock) {
				int partitions = this.recent.partitions();
				if (partitions == 0) {
					coveredFrom = -1;
				}
				else if (partition != OwnerPartition.of(owner, partitions)) {
					// Not a cursor of this owner's partition (or the topic was repartitioned): its history is lost.
					return Flux.error(new CursorExpiredException(new Cursor(partition, from - 1), Long.MAX_VALUE));
				}
				else {
					coveredFrom = this.recent.coveredFrom(partition);
					if (from >= coveredFrom) {
						List<JobFrame> missed = this.recent.since(partition, from, connection.audience());
						connection.from(Math.max(from, this.recent.next(partition)));
						this.connections.add(connection);
						return Flux.fromIterable(missed);
					}
				}
			}
			if (coveredFrom < 0) {
				return Mono.delay(NOT_POSITIONED_RETRY).thenMany(catchUp(connection, owner, partition, from));
			}
			return this.history.read(connection.subject(), owner, partition, from, coveredFrom)
				.filter(connection.audience()::accepts)
				.cast(Frame.class)
				.concatWith(catchUp(connection, owner, partition, coveredFrom));
		});
	}

}
