package io.inloop.cli.broker;

/** Kafka as {@code inloop start} runs it: one {@link LocalBroker} in this JVM or a {@link LocalCluster} of processes. */
public interface RunningKafka extends AutoCloseable {

	/** Where clients connect. */
	String bootstrapServers();

	/** Copies {@link InloopTopics} gives each partition of Inloop's topics. */
	short replicationFactor();

	/** Shut Kafka down and wait until it has closed its logs; safe to call twice. */
	void stop();

	@Override
	default void close() {
		stop();
	}

}
