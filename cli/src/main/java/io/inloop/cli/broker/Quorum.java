package io.inloop.cli.broker;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The nodes of a local Kafka cluster, each a broker and a controller (KRaft voter), and the one
 * place that decides how many copies of a partition it keeps: one node keeps one; three or more
 * keep three, of which two must have a write before it is acknowledged ({@code min.insync.replicas}
 * 2), so that one node may die without losing or refusing anything.
 */
public record Quorum(List<KafkaNode> nodes) {

	/** At most nine nodes: the n-th takes ports {@code 2 (n - 1)} above the first's. */
	public static final int MAX_NODES = 9;

	public Quorum {
		nodes = List.copyOf(nodes);
		if (nodes.isEmpty() || nodes.size() > MAX_NODES) {
			throw new IllegalArgumentException("A local cluster has 1 to " + MAX_NODES + " nodes, not " + nodes.size());
		}
	}

	/** One node: clients on {@code port}, its controller on {@code controllerPort}. */
	public static Quorum single(int port, int controllerPort) {
		return new Quorum(List.of(new KafkaNode(1, port, controllerPort)));
	}

	/**
	 * {@code count} nodes on consecutive ports from {@code firstPort}: node n takes
	 * {@code firstPort + 2 (n - 1)} for clients and the port above for its controller (9092/9093,
	 * 9094/9095, 9096/9097 for three).
	 */
	public static Quorum consecutive(int firstPort, int count) {
		if (count < 1 || count > MAX_NODES) {
			throw new IllegalArgumentException("A local cluster has 1 to " + MAX_NODES + " nodes, not " + count);
		}
		return new Quorum(java.util.stream.IntStream.rangeClosed(1, count)
			.mapToObj((id) -> new KafkaNode(id, firstPort + 2 * (id - 1), firstPort + 2 * (id - 1) + 1))
			.toList());
	}

	/** Reads {@link #toString()}: {@code 1:9092:9093,2:9094:9095,...}. */
	public static Quorum parse(String spec) {
		return new Quorum(java.util.Arrays.stream(spec.split(",")).map((node) -> {
			String[] parts = node.trim().split(":");
			if (parts.length != 3) {
				throw new IllegalArgumentException("Not <id>:<port>:<controllerPort>: " + node);
			}
			return new KafkaNode(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
		}).toList());
	}

	public KafkaNode node(int id) {
		return this.nodes.stream()
			.filter((node) -> node.id() == id)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No node " + id + " in " + this));
	}

	public int size() {
		return this.nodes.size();
	}

	/** Where clients connect: every node, so any one of them is enough to find the others. */
	public String bootstrapServers() {
		return this.nodes.stream().map((node) -> "localhost:" + node.port()).collect(Collectors.joining(","));
	}

	/** Copies of every partition, Inloop's topics and Kafka's internal ones alike: 1, or 3 from three nodes on. */
	public short replicationFactor() {
		return (short) Math.min(3, size());
	}

	/** Copies that must have a write before it is acknowledged: 2 of 3, else 1. */
	public int minInSyncReplicas() {
		return Math.max(1, replicationFactor() - 1);
	}

	String voters() {
		return this.nodes.stream().map(KafkaNode::voter).collect(Collectors.joining(","));
	}

	@Override
	public String toString() {
		return this.nodes.stream().map(KafkaNode::spec).collect(Collectors.joining(","));
	}

}
