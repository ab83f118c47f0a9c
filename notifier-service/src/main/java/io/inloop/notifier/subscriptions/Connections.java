package io.inloop.notifier.subscriptions;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.inloop.notifier.delivery.JobFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The open connections: who may open one more ({@link ConnectionSettings#maxPerUser()}), which
 * connections a frame goes to, and the meters of both. Every frame reads the registry, only
 * connects and disconnects change it, so each owner's connections are a copy-on-write array.
 */
@Component
public class Connections {

	private static final Log logger = LogFactory.getLog(Connections.class);

	private static final Connection[] NONE = new Connection[0];

	private final ConcurrentHashMap<String, Connection[]> byOwner = new ConcurrentHashMap<>();

	// Service streams of several owners or everyone's: each frame is offered to each of them.
	private volatile Connection[] acrossOwners = NONE;

	private final Object acrossOwnersLock = new Object();

	private final ConcurrentHashMap<String, Integer> perSubject = new ConcurrentHashMap<>();

	private final AtomicInteger slots = new AtomicInteger();

	/** Connections admitted and not yet released, all users: at most {@code settings.max()}. */
	private final AtomicInteger admitted = new AtomicInteger();

	private final ConnectionSettings settings;

	private final Counter conflated;

	private final Counter tooSlow;

	private final Counter refusedFull;

	public Connections(ConnectionSettings settings, MeterRegistry meters) {
		this.settings = settings;
		this.conflated = Counter.builder("inloop.notifier.frames.conflated")
			.description("Pending frames merged into a newer frame of the same job for a slow connection")
			.register(meters);
		this.tooSlow = Counter.builder("inloop.notifier.connections.too-slow")
			.description("Connections closed because they fell behind")
			.register(meters);
		this.refusedFull = Counter.builder("inloop.notifier.connections.refused")
			.description("Connections refused because the instance held inloop.notifier.connections.max (1013 / 503)")
			.register(meters);
		Gauge.builder("inloop.notifier.connections", this, Connections::count)
			.description("Open connections")
			.register(meters);
	}

	/**
	 * A new connection of {@code caller} for {@code audience}, counted against the caller's and the
	 * instance's limits until {@link #release released}. It receives nothing until {@link #add added}.
	 * @throws ConnectionClosedException {@link CloseReason#LIMIT_EXCEEDED} when the caller holds as
	 * many as allowed, {@link CloseReason#TRY_AGAIN_LATER} when the instance does
	 */
	Connection admit(Caller caller, Audience audience) {
		if (this.admitted.incrementAndGet() > this.settings.max()) {
			this.admitted.decrementAndGet();
			this.refusedFull.increment();
			throw new ConnectionClosedException(CloseReason.TRY_AGAIN_LATER);
		}
		String subject = caller.subject();
		boolean[] admitted = new boolean[1];
		this.perSubject.compute(subject, (key, count) -> {
			int current = (count != null) ? count : 0;
			admitted[0] = current < this.settings.maxPerUser();
			return admitted[0] ? current + 1 : count;
		});
		if (!admitted[0]) {
			this.admitted.decrementAndGet();
			throw new ConnectionClosedException(CloseReason.LIMIT_EXCEEDED);
		}
		Instant expiresAt = caller.expiresAt();
		return new Connection(subject, audience, (expiresAt != null) ? expiresAt.toEpochMilli() : Long.MAX_VALUE,
				this.slots.getAndIncrement() & Integer.MAX_VALUE, this.settings.queueCapacity());
	}

	/** Whether the instance holds as many connections as it takes ({@code inloop.notifier.connections.max}). */
	public boolean isFull() {
		return this.admitted.get() >= this.settings.max();
	}

	/** Whether {@code subject} may open one more connection now. */
	public boolean hasRoomFor(String subject) {
		return this.perSubject.getOrDefault(subject, 0) < this.settings.maxPerUser();
	}

	/** From now on, frames of the connection's audience are offered to it. */
	void add(Connection connection) {
		String owner = connection.audience().owner();
		if (owner != null) {
			this.byOwner.merge(owner, new Connection[] { connection }, Connections::concat);
		}
		else {
			synchronized (this.acrossOwnersLock) {
				this.acrossOwners = concat(this.acrossOwners, new Connection[] { connection });
			}
		}
		if (connection.isReleased()) {
			// Its client left while it caught up: the release may not have seen it here.
			remove(connection);
		}
	}

	/** The connection is gone: it receives nothing more and no longer counts against its caller's limit. */
	void release(Connection connection) {
		if (connection.release()) {
			remove(connection);
			this.perSubject.computeIfPresent(connection.subject(), (key, count) -> (count > 1) ? count - 1 : null);
			this.admitted.decrementAndGet();
		}
	}

	private void remove(Connection connection) {
		String owner = connection.audience().owner();
		if (owner != null) {
			this.byOwner.computeIfPresent(owner, (key, connections) -> without(connections, connection));
		}
		else {
			synchronized (this.acrossOwnersLock) {
				Connection[] rest = without(this.acrossOwners, connection);
				this.acrossOwners = (rest != null) ? rest : NONE;
			}
		}
	}

	/** Offers {@code frame} to every connection that wants it; never blocks. */
	void deliver(JobFrame frame) {
		Connection[] connections = this.byOwner.get(frame.owner());
		if (connections != null) {
			deliver(frame, connections);
		}
		Connection[] others = this.acrossOwners;
		if (others.length > 0) {
			deliver(frame, others);
		}
	}

	private void deliver(JobFrame frame, Connection[] connections) {
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

	/** Open connections whose audience is exactly {@code owner}. */
	public int count(String owner) {
		Connection[] connections = this.byOwner.get(owner);
		return (connections != null) ? connections.length : 0;
	}

	/** Open connections that receive live frames, all transports. */
	public int count() {
		int count = this.acrossOwners.length;
		for (Connection[] connections : this.byOwner.values()) {
			count += connections.length;
		}
		return count;
	}

	/** The most frames waiting in any connection of {@code owner}: bounded by the queue capacity. */
	public int pending(String owner) {
		Connection[] connections = this.byOwner.get(owner);
		return (connections != null) ? Arrays.stream(connections).mapToInt(Connection::pending).max().orElse(0) : 0;
	}

	/** Every connection receiving live frames, without copying the registry. */
	void forEach(Consumer<Connection> action) {
		for (Connection[] connections : this.byOwner.values()) {
			for (Connection connection : connections) {
				action.accept(connection);
			}
		}
		for (Connection connection : this.acrossOwners) {
			action.accept(connection);
		}
	}

	private static Connection[] concat(Connection[] connections, Connection[] added) {
		Connection[] all = Arrays.copyOf(connections, connections.length + added.length);
		System.arraycopy(added, 0, all, connections.length, added.length);
		return all;
	}

	private static Connection @Nullable [] without(Connection[] connections, Connection removed) {
		int index = -1;
		for (int i = 0; i < connections.length; i++) {
			if (connections[i] == removed) {
				index = i;
				break;
			}
		}
		if (index < 0) {
			return connections;
		}
		if (connections.length == 1) {
			return null;
		}
		Connection[] rest = new Connection[connections.length - 1];
		System.arraycopy(connections, 0, rest, 0, index);
		System.arraycopy(connections, index + 1, rest, index, rest.length - index);
		return rest;
	}

}
