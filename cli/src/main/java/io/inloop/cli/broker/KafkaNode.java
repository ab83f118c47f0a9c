package io.inloop.cli.broker;

/**
 * One node of a local KRaft cluster, broker and controller in one: clients on
 * {@code localhost:<port>}, the other nodes' controllers reach it on {@code localhost:<controllerPort>}.
 * @param id the node id, from 1
 * @param port the client (PLAINTEXT) port
 * @param controllerPort the KRaft controller's port
 */
public record KafkaNode(int id, int port, int controllerPort) {

	public KafkaNode {
		if (id < 1) {
			throw new IllegalArgumentException("Node ids start at 1, not " + id);
		}
	}

	String voter() {
		return this.id + "@localhost:" + this.controllerPort;
	}

	/** As {@link Quorum#parse} reads it: {@code <id>:<port>:<controllerPort>}. */
	String spec() {
		return this.id + ":" + this.port + ":" + this.controllerPort;
	}

}
