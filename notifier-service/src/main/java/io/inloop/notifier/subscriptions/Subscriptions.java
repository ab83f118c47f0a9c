package io.inloop.notifier.subscriptions;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import io.inloop.notifier.delivery.JobFrame;
import io.inloop.notifier.delivery.JobFrameListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The open connections of each user, and the fan-out of every frame to its owner's connections:
 * the same frame instance, so its bytes are shared, never re-encoded. Closes every connection
 * when the process shuts down.
 */
@Component
public class Subscriptions implements JobFrameListener, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Subscriptions.class);

	// Copy-on-write arrays: every event reads them, only connects and disconnects change them.
	private final ConcurrentHashMap<String, Connection[]> byOwner = new ConcurrentHashMap<>();

	private volatile boolean running;

	public void add(Connection connection) {
		this.byOwner.merge(connection.owner(), new Connection[] { connection }, Subscriptions::concat);
	}

	public void remove(Connection connection) {
		this.byOwner.computeIfPresent(connection.owner(), (owner, connections) -> without(connections, connection));
	}

	/** Open connections of {@code owner}. */
	public int connections(String owner) {
		Connection[] connections = this.byOwner.get(owner);
		return (connections != null) ? connections.length : 0;
	}

	/** Open connections of every user. */
	public int connections() {
		return this.byOwner.values().stream().mapToInt((connections) -> connections.length).sum();
	}

	@Override
	public void on(JobFrame frame) {
		Connection[] connections = this.byOwner.get(frame.owner());
		if (connections == null) {
			return;
		}
		for (Connection connection : connections) {
			try {
				connection.send(frame);
			}
			catch (RuntimeException ex) {
				logger.warn("Frame " + frame.cursor() + " could not be queued for a connection of " + frame.owner(), ex);
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.byOwner.values().forEach((connections) -> Arrays.stream(connections).forEach(Connection::shutDown));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static Connection[] concat(Connection[] connections, Connection[] added) {
		Connection[] all = Arrays.copyOf(connections, connections.length + added.length);
		System.arraycopy(added, 0, all, connections.length, added.length);
		return all;
	}

	private static Connection @Nullable [] without(Connection[] connections, Connection removed) {
		Connection[] rest = Arrays.stream(connections).filter((connection) -> connection != removed)
			.toArray(Connection[]::new);
		return (rest.length > 0) ? rest : null;
	}

}
