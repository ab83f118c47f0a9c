package io.inloop.cli.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker in this JVM: combined broker and controller (KRaft), node id 1,
 * PLAINTEXT on {@code localhost:<port>} and the controller on {@code localhost:<controllerPort>}.
 * Its log directory is formatted on first start only, so topics and records survive a restart.
 */
public final class LocalBroker implements AutoCloseable {

	static final int NODE_ID = 1;

	static final String CONTROLLER_LISTENER = "CONTROLLER";

	private final KafkaRaftServer server;

	private final int port;

	private final DataDirLock lock;

	private boolean stopped;

	private LocalBroker(KafkaRaftServer server, int port, DataDirLock lock) {
		this.server = server;
		this.port = port;
		this.lock = lock;
	}

	/**
	 * Format {@code logDir} if it holds no broker yet, then start a broker on it and return once it
	 * accepts clients.
	 * @throws IllegalStateException if a port is taken or another broker uses {@code logDir}
	 */
	public static LocalBroker start(Path logDir, int port, int controllerPort) {
		return start(logDir, port, controllerPort, new Properties());
	}

	/**
	 * As {@link #start(Path, int, int)}, with broker settings of {@code overrides} in place of
	 * this broker's own (a test's shorter share-group locks, for example).
	 */
	public static LocalBroker start(Path logDir, int port, int controllerPort, Properties overrides) {
		// Checked before Kafka starts: a second broker on the same ports or folder would disturb the first.
		requireFree(port, "Kafka");
		requireFree(controllerPort, "the Kafka controller");
		DataDirLock lock = DataDirLock.acquire(logDir);
		try {
			StorageFormat.formatIfNeeded(logDir);
			Properties settings = settings(logDir, port, controllerPort);
			settings.putAll(overrides);
			KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(settings, false), Time.SYSTEM);
			server.startup();
			LocalBroker broker = new LocalBroker(server, port, lock);
			Features.enableShareGroups(broker.bootstrapServers());
			return broker;
		}
		catch (RuntimeException ex) {
			lock.release();
			throw ex;
		}
	}

	private static void requireFree(int port, String user) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress("localhost", port));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Port " + port + " for " + user
					+ " is in use: is inloop (or another Kafka) already running?", ex);
		}
	}

	static Properties settings(Path logDir, int port, int controllerPort) {
		Properties settings = new Properties();
		settings.put("process.roles", "broker,controller");
		settings.put("node.id", Integer.toString(NODE_ID));
		settings.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
		settings.put("listeners", "PLAINTEXT://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
		settings.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
		settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
		settings.put("controller.listener.names", CONTROLLER_LISTENER);
		settings.put("inter.broker.listener.name", "PLAINTEXT");
		settings.put("log.dirs", logDir.toAbsolutePath().toString());
		// One node: every internal topic has one replica and needs only that one in sync.
		settings.put("offsets.topic.replication.factor", "1");
		settings.put("offsets.topic.num.partitions", "12");
		settings.put("transaction.state.log.replication.factor", "1");
		settings.put("transaction.state.log.min.isr", "1");
		settings.put("share.coordinator.state.topic.replication.factor", "1");
		settings.put("share.coordinator.state.topic.min.isr", "1");
		settings.put("min.insync.replicas", "1");
		// One machine, a few clients: two network and two request threads rather than 3 and 8 compete less for two cores.
		settings.put("num.network.threads", "2");
		settings.put("num.io.threads", "2");
		// Few partitions for the internal topics: one broker, a handful of groups, and less to recover after a crash.
		settings.put("share.coordinator.state.topic.num.partitions", "6");
		settings.put("transaction.state.log.num.partitions", "6");
		// Local latency over throughput: no waiting for more group members to join.
		settings.put("group.initial.rebalance.delay.ms", "0");
		// After a crash the broker re-reads every segment written since the last flushed recovery point:
		// flushing each second keeps that to a second's writes, not a whole session's.
		settings.put("log.flush.interval.ms", "1000");
		settings.put("log.flush.scheduler.interval.ms", "1000");
		settings.put("log.flush.offset.checkpoint.interval.ms", "1000");
		// After a crash the controller waits out the dead broker's session before the restarted one may register:
		// 2 s rather than 9 s (heartbeats every 500 ms; one node on one machine loses none to the network).
		settings.put("broker.session.timeout.ms", "2000");
		settings.put("broker.heartbeat.interval.ms", "500");
		return settings;
	}

	/** Where clients connect: {@code localhost:<port>}. */
	public String bootstrapServers() {
		return "localhost:" + this.port;
	}

	/** Shut the broker down and wait until it has closed its logs; safe to call twice. */
	public synchronized void stop() {
		if (this.stopped) {
			return;
		}
		this.stopped = true;
		try {
			this.server.shutdown();
			this.server.awaitShutdown();
		}
		finally {
			this.lock.release();
		}
	}

	@Override
	public void close() {
		stop();
	}

}
