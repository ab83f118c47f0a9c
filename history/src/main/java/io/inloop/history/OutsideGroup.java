package io.inloop.history;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The settings of a consumer that reads outside any group ({@link RangeRead}, {@link TopicTail}):
 * partitions are assigned, not shared, so there is no group to join and nothing to commit, and a
 * topic that is missing is awaited, never created by asking for it.
 */
public final class OutsideGroup {

	private OutsideGroup() {
	}

	/** {@code base} (e.g. Boot's {@code spring.kafka.consumer.*}) made fit for reading outside a group. */
	public static Map<String, Object> consumerConfig(Map<String, ?> base) {
		Map<String, Object> config = new HashMap<>(base);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		return config;
	}

}
