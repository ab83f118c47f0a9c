package io.inloop.notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/** Test access to the shared embedded broker: topics, and status records written as services write them. */
public final class StatusTopic {

	private static final Instant SUBMITTED = Instant.parse("2026-11-27T10:15:30.123Z");

	private StatusTopic() {
	}

	public static String brokers() {
		String brokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
		if (brokers == null) {
			throw new IllegalStateException("No embedded broker: is spring.kafka.global.embedded.enabled set?");
		}
		return brokers;
	}

	/** Creates Inloop's topics as api-service does; a topic that exists already is left alone. */
	public static void create() {
		create(Topics.definitions(3, (short) 1, Duration.ofDays(7)));
	}

	public static void create(List<NewTopic> topics) {
		KafkaAdmin admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()));
		admin.createOrModifyTopics(topics.toArray(NewTopic[]::new));
	}

	public static Producer<String, JobStatusChanged> events() {
		return new KafkaProducer<>(producerConfig(), new StringSerializer(),
				new AvroSerializer<>(JobStatusChanged.class));
	}

	/** A process's view of {@link Topics#SCHEMAS}: its writers publish there, its readers look up there. */
	public static SchemaCatalog catalog() {
		Map<String, Object> client = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
		return new SchemaCatalog(client, client);
	}

	/** Writes values as they are: for records no reader can make sense of. */
	public static Producer<String, byte[]> raw() {
		return new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
	}

	/** Sends and waits for the broker's acknowledgement, so the record's cursor is known. */
	public static <V> RecordMetadata send(Producer<String, V> producer, String topic, String key, V value) {
		try {
			return producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	public static String cursorOf(RecordMetadata metadata) {
		return metadata.partition() + "-" + metadata.offset();
	}

	/** A snapshot of {@code owner}'s job, 2 of 5 steps done. */
	public static JobStatusChanged.Builder aSnapshot(String owner, String jobId, JobState state, int attempt,
			int sequence) {
		return JobStatusChanged.newBuilder()
			.setJobId(jobId)
			.setOwner(owner)
			.setType("demo.steps")
			.setState(state)
			.setProgress(new JobProgress(2L, 5L))
			.setMessage("step 2 of 5")
			.setAttempt(attempt)
			.setSequence(sequence)
			.setSubmittedAt(SUBMITTED)
			.setUpdatedAt(SUBMITTED.plusMillis(40L + sequence));
	}

	private static Map<String, Object> producerConfig() {
		return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(), ProducerConfig.ACKS_CONFIG, "all");
	}

}
