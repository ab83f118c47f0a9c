package io.inloop.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.inloop.cli.process.ServiceNotReadyException;
import io.inloop.cli.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * A Kafka cluster on this machine: every node of a {@link Quorum} a broker and a controller in a
 * child process of its own ({@link BrokerNodeCommand}), so that one can die alone, by SIGKILL, as
 * a machine does. Node {@code n} keeps its log in {@code <dataDir>/node-<n>}; the cluster's id is
 * kept in {@code <dataDir>/cluster.id}, so the nodes and their records survive a restart.
 */
public final class LocalCluster implements RunningKafka {

	/** The main class of the command line, which runs {@code broker-node}. */
	private static final String COMMAND_LINE = "io.inloop.cli.InloopCommand";

	/** Room for a broker's page of metadata and a few thousand partitions; Kafka's own default is 1 GiB. */
	private static final List<String> JAVA_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC",
			"-XX:MaxGCPauseMillis=20");

	/** A node's controlled shutdown waits for the controllers; a node left without a quorum is killed after this. */
	private static final Duration STOP_GRACE = Duration.ofSeconds(20);

	private final Quorum quorum;

	private final Path dataDir;

	private final Path logs;

	private final String clusterId;

	private final Properties overrides;

	private final Consumer<String> console;

	private final Map<Integer, ServiceProcess> nodes = new ConcurrentHashMap<>();

	private LocalCluster(Quorum quorum, Path dataDir, Path logs, Properties overrides, Consumer<String> console) {
		this.quorum = quorum;
		this.dataDir = dataDir.toAbsolutePath().normalize();
		this.logs = logs.toAbsolutePath().normalize();
		this.clusterId = clusterId(this.dataDir);
		this.overrides = overrides;
		this.console = console;
	}

	/**
	 * Start every node of {@code quorum} and return once all serve clients and share groups are on.
	 * @param dataDir holds each node's log directory
	 * @param logs where each node's {@code kafka-<id>.log} (and its console, {@code kafka-<id>.out}) goes
	 * @param overrides broker settings in place of the nodes' own
	 * @param console each line a node prints (its errors and its ready line)
	 * @throws ServiceNotReadyException if a node exits or the cluster is not up within {@code timeout}
	 */
	public static LocalCluster start(Quorum quorum, Path dataDir, Path logs, Properties overrides, Duration timeout,
			Consumer<String> console) {
		LocalCluster cluster = new LocalCluster(quorum, dataDir, logs, overrides, console);
		try {
			quorum.nodes().forEach((node) -> cluster.launch(node.id()));
			cluster.awaitServing(quorum.nodes().stream().map(KafkaNode::id).collect(Collectors.toSet()), timeout);
			Features.enableShareGroups(cluster.bootstrapServers());
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.stop();
			throw ex;
		}
	}

	public Quorum quorum() {
		return this.quorum;
	}

	@Override
	public String bootstrapServers() {
		return this.quorum.bootstrapServers();
	}

	@Override
	public short replicationFactor() {
		return this.quorum.replicationFactor();
	}

	/** The process of node {@code id}, while it runs. */
	public ServiceProcess node(int id) {
		ServiceProcess node = this.nodes.get(id);
		if (node == null) {
			throw new IllegalStateException("Node " + id + " is not running");
		}
		return node;
	}

	/** End node {@code id} abruptly (SIGKILL), as a crash of its machine would, and wait until it is gone. */
	public void kill(int id) {
		ServiceProcess node = this.nodes.remove(id);
		if (node != null) {
			node.kill();
		}
	}

	/** Start node {@code id} again on its log directory and wait until the cluster counts it as a broker again. */
	public void restart(int id, Duration timeout) {
		if (this.nodes.containsKey(id)) {
			throw new IllegalStateException("Node " + id + " is running");
		}
		launch(id);
		awaitServing(Set.of(id), timeout);
	}

	/** Stop every node (SIGTERM, all at once; killed if not gone within 20 s); safe to call twice. */
	@Override
	public void stop() {
		List<ServiceProcess> running = new ArrayList<>(this.nodes.values());
		this.nodes.clear();
		running.forEach(ServiceProcess::requestStop);
		running.forEach((node) -> node.awaitStop(STOP_GRACE));
	}

	private void launch(int id) {
		KafkaNode node = this.quorum.node(id);
		List<String> arguments = new ArrayList<>(List.of("broker-node", "--node-id=" + id, "--quorum=" + this.quorum,
				"--data-dir=" + this.dataDir.resolve("node-" + id), "--cluster-id=" + this.clusterId,
				"--logs=" + this.logs));
		this.overrides.forEach((name, value) -> arguments.add("--set=" + name + "=" + value));
		String name = "kafka-" + id;
		ServiceProcess.Builder builder = ServiceProcess.builder(name)
			.javaOptions(JAVA_OPTIONS.toArray(String[]::new))
			.logFile(this.logs.resolve(name + ".out"))
			.onLine(this.console);
		commandLine(builder).arguments(arguments);
		this.nodes.put(node.id(), builder.start());
	}

	// The command line as this JVM runs it: its own class path, or its executable (Spring Boot) jar.
	private static ServiceProcess.Builder commandLine(ServiceProcess.Builder builder) {
		String classPath = System.getProperty("java.class.path");
		try {
			Class.forName(COMMAND_LINE, false, ClassLoader.getSystemClassLoader());
			return builder.mainClass(classPath, COMMAND_LINE);
		}
		catch (ClassNotFoundException ex) {
			return builder.jar(Path.of(classPath));
		}
	}

	// Serving: the node's process is up and the controllers count it among the cluster's (unfenced) brokers.
	private void awaitServing(Set<Integer> ids, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				"5000"))) {
			while (true) {
				for (int id : ids) {
					ServiceProcess node = node(id);
					if (!node.isAlive()) {
						throw new ServiceNotReadyException(node, node.name() + " " + node.howItEnded() + " before it served");
					}
				}
				if (brokers(admin).containsAll(ids)) {
					return;
				}
				if (System.nanoTime() > deadline) {
					ServiceProcess first = node(ids.iterator().next());
					throw new ServiceNotReadyException(first, "Kafka nodes " + ids + " did not all serve within "
							+ timeout.toSeconds() + " s");
				}
				pause();
			}
		}
	}

	private static Set<Integer> brokers(Admin admin) {
		try {
			return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id).collect(Collectors.toSet());
		}
		catch (ExecutionException | TimeoutException ex) {
			return Set.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Kafka", ex);
		}
	}

	private static void pause() {
		try {
			TimeUnit.MILLISECONDS.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Kafka", ex);
		}
	}

	// One id for the cluster's life, so that a restart finds its nodes' formatted directories.
	private static String clusterId(Path dataDir) {
		Path file = dataDir.resolve("cluster.id");
		try {
			if (Files.exists(file)) {
				return Files.readString(file, StandardCharsets.US_ASCII).trim();
			}
			Files.createDirectories(dataDir);
			String id = StorageFormat.newClusterId();
			Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
			return id;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot keep the cluster's id in " + file, ex);
		}
	}

}
