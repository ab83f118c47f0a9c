package io.inloop.notifier.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.history.Cursor;
import io.inloop.history.OwnerPartition;
import io.inloop.notifier.delivery.CursorExpiredException;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.notifier.delivery.JobFrameListener;
import io.inloop.notifier.delivery.StatusHistory;
import io.inloop.schemas.JobLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The open connections, and every frame's way to them. Frames of the feed pass the state machine
 * once ({@link LatestJobs}), land in the in-memory window ({@link RecentFrames}) and go, the same
 * instance with the same bytes, to the connections that want them. A new connection first gets
 * what it missed (history after its cursor, or snapshots), then joins the live feed without gap or
 * duplicate: joining and taking from the window happen under the one lock the feed takes to
 * accept a frame, and frames the connection got before joining are below its {@code from}.
 */
@Component
public class Subscriptions implements JobFrameListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Subscriptions.class);

	private static final Duration NOT_POSITIONED_RETRY = Duration.ofMillis(100);

	private static final Duration FORGET_INTERVAL = Duration.ofMinutes(1);

	private final Object lock = new Object();

	private final RecentFrames recent; // guarded by lock

	private final LatestJobs latest = new LatestJobs(); // guarded by lock

	// Copy-on-write arrays: every event reads them, only connects and disconnects change them.
	private final ConcurrentHashMap<String, Connection[]> byOwner = new ConcurrentHashMap<>();

	// Service streams of several owners or everyone's: each frame is offered to each of them.
	private volatile Connection[] acrossOwners = new Connection[0];

	private final ConcurrentHashMap<String, Integer> perSubject = new ConcurrentHashMap<>();

	private final StatusHistory history;

	private final ConnectionSettings settings;

	private final ResumeSettings resume;

	private final Counter dropped;

	private final Counter conflated;

	private final Counter tooSlow;

	private volatile long lastPing = System.currentTimeMillis();

	private volatile long lastForget = System.currentTimeMillis();

	private volatile @Nullable Disposable sweeper;

	public Subscriptions(StatusHistory history, ConnectionSettings settings, ResumeSettings resume,
			MeterRegistry meters) {
		this.history = history;
		this.settings = settings;
		this.resume = resume;
		this.recent = new RecentFrames(resume.window());
		this.dropped = Counter.builder("inloop.notifier.frames.dropped")
			.description("Status events dropped because they do not advance their job (stale or after its end)")
			.register(meters);
		this.conflated = Counter.builder("inloop.notifier.frames.conflated")
			.description("Pending frames merged into a newer frame of the same job for a slow connection")
			.register(meters);
		this.tooSlow = Counter.builder("inloop.notifier.connections.too-slow")
			.description("Connections closed because they fell behind")
			.register(meters);
		Gauge.builder("inloop.notifier.connections", this, Subscriptions::connections)
			.description("Open connections")
			.register(meters);
		Gauge.builder("inloop.notifier.jobs", this, (subscriptions) -> subscriptions.jobs())
			.description("Jobs whose latest snapshot the notifier holds")
			.register(meters);
	}

	/**
	 * The frames for a new connection of {@code subject}: what it missed since {@code since} (or the
	 * snapshots of its jobs), {@link ControlFrame#LIVE}, then live frames until the stream fails
	 * with a {@link ConnectionClosedException}. Only a one-owner audience can resume from a cursor.
	 */
	public Flux<Frame> stream(Caller caller, Audience audience, @Nullable Cursor since) {
		return stream(caller, audience, since, () -> true);
	}

	/**
	 * As {@link #stream(Caller, Audience, Cursor)}, for a transport that asks for frames before
	 * its own buffer can take them: frames then wait while {@code writable} is false.
	 */
	public Flux<Frame> stream(Caller caller, Audience audience, @Nullable Cursor since, BooleanSupplier writable) {
		String subject = caller.subject();
		Instant expiresAt = caller.expiresAt();
		return Flux.defer(() -> {
			if (!admit(subject)) {
				return Flux.error(new ConnectionClosedException(CloseReason.LIMIT_EXCEEDED));
			}
			Connection connection = new Connection(subject, audience,
					(expiresAt != null) ? expiresAt.toEpochMilli() : Long.MAX_VALUE, this.settings.queueCapacity(),
					writable);
			Flux<Frame> missed = (since != null) ? resume(connection, since) : start(connection);
			return missed.takeWhile((frame) -> !connection.isClosing())
				.concatWith(Flux.just(ControlFrame.LIVE))
				.concatWith(connection.live())
				.doFinally((signal) -> {
					remove(connection);
					release(subject);
				});
		});
	}

	/** Whether {@code subject} may open one more connection now. */
	public boolean hasRoomFor(String subject) {
		return this.perSubject.getOrDefault(subject, 0) < this.settings.maxPerUser();
	}

	/** Open connections whose audience is exactly {@code owner}. */
	public int connections(String owner) {
		Connection[] connections = this.byOwner.get(owner);
		return (connections != null) ? connections.length : 0;
	}

	/** Open connections, all transports. */
	public int connections() {
		return this.byOwner.values().stream().mapToInt((connections) -> connections.length).sum()
				+ this.acrossOwners.length;
	}

	/** The most frames waiting in any connection of {@code owner}: bounded by the queue capacity. */
	public int pending(String owner) {
		Connection[] connections = this.byOwner.get(owner);
		return (connections != null) ? Arrays.stream(connections).mapToInt(Connection::pending).max().orElse(0) : 0;
	}

	int jobs() {
		synchronized (this.lock) {
			return this.latest.jobs();
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
		Connection[] connections = this.byOwner.get(frame.owner());
		if (connections != null) {
			send(frame, connections);
		}
		Connection[] others = this.acrossOwners;
		if (others.length > 0) {
			send(frame, others);
		}
	}

	private void send(JobFrame frame, Connection[] connections) {
		for (Connection connection : connections) {
			try {
				ConflatingQueue.Offer offer = connection.send(frame);
				if (offer == ConflatingQueue.Offer.MERGED) {
					this.conflated.increment();
				}
				else if (offer == ConflatingQueue.Offer.OVERFLOW) {
					this.tooSlow.increment();
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Frame " + frame.cursor() + " could not be queued for a connection of " + frame.owner(), ex);
			}
		}
	}

	/** A connection without a cursor: the snapshots of its owner's jobs, then live. */
	private Flux<Frame> start(Connection connection) {
		return snapshots(connection, null);
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
				add(connection);
			}
			if (owner == null) {
				return Flux.empty();
			}
			return Flux.<Frame>just(ControlFrame.snapshot(recovered, snapshots.size()))
				.concatWith(Flux.fromIterable(snapshots));
		});
	}

	/** A connection with a cursor: everything after it, or snapshots when that is gone. */
	private Flux<Frame> resume(Connection connection, Cursor since) {
		String owner = connection.audience().owner();
		if (owner == null) {
			return Flux.error(new IllegalArgumentException("Only a stream of one owner's jobs can resume from a cursor"));
		}
		return catchUp(connection, owner, since.partition(), since.offset() + 1)
			.onErrorResume(CursorExpiredException.class, (ex) -> snapshots(connection, false));
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
						add(connection);
						return Flux.fromIterable(missed);
					}
				}
			}
			if (coveredFrom < 0) {
				return Mono.delay(NOT_POSITIONED_RETRY).thenMany(catchUp(connection, owner, partition, from));
			}
			return this.history.read(owner, partition, from, coveredFrom)
				.filter(connection.audience()::accepts)
				.cast(Frame.class)
				.concatWith(catchUp(connection, owner, partition, coveredFrom));
		});
	}

	private void add(Connection connection) {
		String owner = connection.audience().owner();
		if (owner != null) {
			this.byOwner.merge(owner, new Connection[] { connection }, Subscriptions::concat);
		}
		else {
			synchronized (this.lock) {
				this.acrossOwners = concat(this.acrossOwners, new Connection[] { connection });
			}
		}
	}

	private void remove(Connection connection) {
		String owner = connection.audience().owner();
		if (owner != null) {
			this.byOwner.computeIfPresent(owner, (key, connections) -> without(connections, connection));
		}
		else {
			synchronized (this.lock) {
				Connection[] rest = without(this.acrossOwners, connection);
				this.acrossOwners = (rest != null) ? rest : new Connection[0];
			}
		}
	}

	private boolean admit(String subject) {
		boolean[] admitted = new boolean[1];
		this.perSubject.compute(subject, (key, count) -> {
			int current = (count != null) ? count : 0;
			admitted[0] = current < this.settings.maxPerUser();
			return admitted[0] ? current + 1 : count;
		});
		return admitted[0];
	}

	private void release(String subject) {
		this.perSubject.computeIfPresent(subject, (key, count) -> (count > 1) ? count - 1 : null);
	}

	/** Closes expired connections and pings the others when due; forgets old jobs now and then. */
	void sweep() {
		long now = System.currentTimeMillis();
		boolean pingDue = now - this.lastPing >= this.settings.pingInterval().toMillis();
		if (pingDue) {
			this.lastPing = now;
		}
		forEachConnection((connection) -> {
			if (connection.hasExpired(now)) {
				connection.close(CloseReason.TOKEN_EXPIRED);
			}
			else if (pingDue) {
				connection.ping();
			}
			else {
				connection.flush();
			}
		});
		if (now - this.lastForget >= FORGET_INTERVAL.toMillis()) {
			this.lastForget = now;
			synchronized (this.lock) {
				this.latest.forget(now - this.resume.recentlyFinished().toMillis(),
						now - this.resume.forgetAfter().toMillis());
			}
		}
	}

	private void forEachConnection(Consumer<Connection> action) {
		List<Connection> all = new ArrayList<>();
		this.byOwner.values().forEach((connections) -> all.addAll(Arrays.asList(connections)));
		all.addAll(Arrays.asList(this.acrossOwners));
		all.forEach(action);
	}

	@Override
	public void start() {
		long interval = this.settings.sweepInterval().toMillis();
		this.sweeper = Schedulers.single()
			.schedulePeriodically(this::sweepSafely, interval, interval, java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	private void sweepSafely() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			logger.warn("Sweeping connections failed", ex);
		}
	}

	@Override
	public void stop() {
		Disposable running = this.sweeper;
		this.sweeper = null;
		if (running != null) {
			running.dispose();
		}
		forEachConnection((connection) -> connection.close(CloseReason.GOING_AWAY));
	}

	@Override
	public boolean isRunning() {
		return this.sweeper != null;
	}

	private static Connection[] concat(Connection[] connections, Connection[] added) {
		Connection[] all = Arrays.copyOf(connections, connections.length + added.length);
		System.arraycopy(added, 0, all, connections.length, added.length);
		return all;
	}

	private static Connection @Nullable [] without(Connection[] connections, Connection removed) {
		Connection[] rest = Arrays.stream(connections)
			.filter((connection) -> connection != removed)
			.toArray(Connection[]::new);
		return (rest.length > 0) ? rest : null;
	}

}
