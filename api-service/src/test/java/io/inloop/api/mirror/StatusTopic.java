package io.inloop.api.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes status records as the services do (Avro, keyed by owner) and reads the mirror back. */
final class StatusTopic implements AutoCloseable {

	private final String brokers;

	private final KafkaProducer<String, byte[]> producer;

	private final AvroSerializer<JobStatusChanged> avro = new AvroSerializer<>(JobStatusChanged.class);

	StatusTopic(String brokers) {
		this.brokers = brokers;
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
	}

	RecordMetadata send(JobStatusChanged event) {
		return send(event.getOwner(), this.avro.serialize(Topics.JOB_STATUS, event), new RecordHeaders());
	}

	RecordMetadata send(String owner, byte[] value, RecordHeaders headers) {
		try {
			return this.producer.send(new ProducerRecord<>(Topics.JOB_STATUS, null, owner, value, headers)).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	/** Every committed frame of {@code owner} in the mirror so far, from the beginning of each partition. */
	List<ConsumerRecord<String, String>> mirrored(String owner) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_STATUS_JSON).stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			List<ConsumerRecord<String, String>> records = new ArrayList<>();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (owner.equals(record.key())) {
						records.add(record);
					}
				});
			}
			return records;
		}
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
