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
 * A Kafka node in this JVM: combined broker and controller (KRaft), PLAINTEXT on
 * {@code localhost:<port>} and the controller on {@code localhost:<controllerPort>}; alone (node
 * id 1) or one of the {@link Quorum} of a {@link LocalCluster}. Its log directory is formatted on
 * first start only, so topics and records survive a restart.
 */
public final class LocalBroker implements RunningKafka {

	static final String CONTROLLER_LISTENER = "CONTROLLER";

	private final KafkaRaftServer server;

	private final Quorum quorum;

	private final int port;

	private final DataDirLock lock;

	private boolean stopped;

	private LocalBroker(KafkaRaftServer server, Quorum quorum, int port, DataDirLock lock) {
		this.server = server;
		this.quorum = quorum;
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
		Quorum alone = Quorum.single(port, controllerPort);
		LocalBroker broker = startNode(logDir, alone, alone.node(1), StorageFormat.newClusterId(), overrides);
		try {
			Features.enableShareGroups(broker.bootstrapServers());
			return broker;
		}
		catch (RuntimeException ex) {
			broker.stop();
			throw ex;
		}
	}

	/**
	 * Start {@code node} of {@code quorum} on {@code logDir}, formatting it first for
	 * {@code clusterId} if it holds no node yet. Returns once the node has caught up with the
	 * cluster's metadata, so a node of several waits for a majority of the quorum to be up.
	 * @throws IllegalStateException if a port is taken or another broker uses {@code logDir}
	 */
	static LocalBroker startNode(Path logDir, Quorum quorum, KafkaNode node, String clusterId, Properties overrides) {
		// Checked before Kafka starts: a second broker on the same ports or folder would disturb the first.
		requireFree(node.port(), "Kafka");
		requireFree(node.controllerPort(), "the Kafka controller");
		DataDirLock lock = DataDirLock.acquire(logDir);
		try {
			StorageFormat.formatIfNeeded(logDir, node.id(), clusterId);
			Properties settings = settings(logDir, quorum, node);
			settings.putAll(overrides);
			KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(settings, false), Time.SYSTEM);
			server.startup();
			return new LocalBroker(server, quorum, node.port(), lock);
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

	static Properties settings(Path logDir, Quorum quorum, KafkaNode node) {
		Properties settings = new Properties();
		settings.put("process.roles", "broker,controller");
		settings.put("node.id", Integer.toString(node.id()));
		settings.put("controller.quorum.voters", quorum.voters());
		settings.put("listeners", "PLAINTEXT://localhost:" + node.port() + "," + CONTROLLER_LISTENER + "://localhost:"
				+ node.controllerPort());
		settings.put("advertised.listeners", "PLAINTEXT://localhost:" + node.port());
		settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
		settings.put("controller.listener.names", CONTROLLER_LISTENER);
		settings.put("inter.broker.listener.name", "PLAINTEXT");
		settings.put("log.dirs", logDir.toAbsolutePath().toString());
		// Every topic, internal ones and the Streams changelogs included, as many copies as the quorum
		// keeps (Quorum decides): one node one, three nodes three, two of them in sync for a write.
		String copies = Short.toString(quorum.replicationFactor());
		String inSync = Integer.toString(quorum.minInSyncReplicas());
		settings.put("default.replication.factor", copies);
		settings.put("min.insync.replicas", inSync);
		settings.put("offsets.topic.replication.factor", copies);
		settings.put("offsets.topic.num.partitions", "12");
		settings.put("transaction.state.log.replication.factor", copies);
		settings.put("transaction.state.log.min.isr", inSync);
		settings.put("share.coordinator.state.topic.replication.factor", copies);
		settings.put("share.coordinator.state.topic.min.isr", inSync);
		// A node that died and lost its copy never becomes leader of what it missed.
		settings.put("unclean.leader.election.enable", "false");
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
	@Override
	public String bootstrapServers() {
		return "localhost:" + this.port;
	}

	@Override
	public short replicationFactor() {
		return this.quorum.replicationFactor();
	}

	/** Shut the broker down and wait until it has closed its logs; safe to call twice. */
	@Override
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

}
