package io.inloop.cli.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.inloop.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates Inloop's topics on the local broker or cluster, leaving those that already exist alone. */
public final class InloopTopics {

	/** How long the replayable status history is kept locally. */
	public static final Duration STATUS_RETENTION = Duration.ofDays(7);

	private InloopTopics() {
	}

	/**
	 * Create every topic of {@link Topics#definitions} with one replica.
	 * @return the names of the topics that were created now
	 */
	public static List<String> create(String bootstrapServers, int partitions) {
		return create(bootstrapServers, partitions, (short) 1);
	}

	/**
	 * Create every topic of {@link Topics#definitions} on {@code kafka}, with as many replicas as it keeps.
	 * @return the names of the topics that were created now
	 */
	public static List<String> create(RunningKafka kafka, int partitions) {
		return create(kafka.bootstrapServers(), partitions, kafka.replicationFactor());
	}

	private static List<String> create(String bootstrapServers, int partitions, short replicationFactor) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			CreateTopicsResult result = admin.createTopics(Topics.definitions(partitions, replicationFactor, STATUS_RETENTION));
			List<String> created = new ArrayList<>();
			for (Map.Entry<String, KafkaFuture<Void>> topic : result.values().entrySet()) {
				if (awaitCreated(topic.getValue())) {
					created.add(topic.getKey());
				}
			}
			return created;
		}
	}

	private static boolean awaitCreated(KafkaFuture<Void> creation) {
		try {
			creation.get();
			return true;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TopicExistsException) {
				return false;
			}
			throw new IllegalStateException("Cannot create topic: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topics", ex);
		}
	}

}
