package io.inloop.cli.broker;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inloop broker-node}: one node of a {@link LocalCluster}, in a process of its own so that
 * it can die alone (SIGKILL) as a machine would. Runs until SIGTERM, then shuts the node down
 * cleanly. Not for people: {@code inloop start --brokers 3} runs it.
 */
@Command(name = "broker-node", hidden = true,
		description = "Run one node of a local Kafka cluster until SIGTERM (what 'inloop start --brokers N' runs per node).")
public final class BrokerNodeCommand implements Callable<Integer> {

	/** The line a node prints once it serves clients. */
	static final String READY = "Kafka node %d ready on localhost:%d";

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--node-id", required = true, paramLabel = "<id>", description = "This node's id in the quorum.")
	int nodeId;

	@Option(names = "--quorum", required = true, paramLabel = "<id>:<port>:<controllerPort>,...",
			description = "Every node of the cluster.")
	@SuppressWarnings("NullAway.Init")
	String quorum;

	@Option(names = "--data-dir", required = true, paramLabel = "<dir>", description = "This node's log directory.")
	@SuppressWarnings("NullAway.Init")
	Path dataDir;

	@Option(names = "--cluster-id", required = true, paramLabel = "<id>", description = "The cluster's id, the same for every node.")
	@SuppressWarnings("NullAway.Init")
	String clusterId;

	@Option(names = "--logs", required = true, paramLabel = "<dir>", description = "Where kafka-<id>.log goes.")
	@SuppressWarnings("NullAway.Init")
	Path logs;

	@Option(names = "--set", paramLabel = "<name>=<value>", description = "A broker setting in place of the node's own.")
	Map<String, String> overrides = new LinkedHashMap<>();

	@Override
	public Integer call() throws InterruptedException {
		BrokerLogging.writeTo(this.logs, "kafka-" + this.nodeId);
		Quorum nodes = Quorum.parse(this.quorum);
		KafkaNode node = nodes.node(this.nodeId);
		Properties settings = new Properties();
		settings.putAll(this.overrides);
		LocalBroker broker = LocalBroker.startNode(this.dataDir, nodes, node, this.clusterId, settings);
		Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-node-stop"));
		PrintWriter out = this.spec.commandLine().getOut();
		out.printf(READY + "%n", node.id(), node.port());
		out.flush();
		new CountDownLatch(1).await();
		return 0;
	}

}
