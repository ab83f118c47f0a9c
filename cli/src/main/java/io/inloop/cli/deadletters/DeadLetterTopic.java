package io.inloop.cli.deadletters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.inloop.cli.kafka.ClusterOptions;
import io.inloop.history.TopicScan;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Everything in the dead-letter topic of a command topic, read once from the beginning to the current end. */
final class DeadLetterTopic {

	private DeadLetterTopic() {
	}

	/** @param commandTopic the topic whose dead letters to read: its {@code -dlt} topic is read */
	static List<DeadLetter> readAll(ClusterOptions cluster, String commandTopic) {
		String topic = Topics.deadLetter(commandTopic);
		AvroDeserializer<SubmitJob> commands = new AvroDeserializer<>(SubmitJob.class);
		List<DeadLetter> deadLetters = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer()) {
			List<TopicPartition> partitions = cluster.partitions(consumer, topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			Map<TopicPartition, Long> starts = new HashMap<>(consumer.beginningOffsets(partitions, cluster.timeout()));
			Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, cluster.timeout()));
			new TopicScan(consumer, starts, ends).run(false, (record) -> deadLetters.add(DeadLetter.of(record, commands)));
		}
		return deadLetters;
	}

}
