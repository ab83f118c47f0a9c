package io.inloop.bench.throughput;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.bench.client.JobFrame;
import io.inloop.schemas.JobEvents;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/** Each missing version sorted by what a real broker's status topic holds. */
class MissingVersionsTests {

	private final String brokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);

	@Test
	void aVersionWrittenInOrderIsUndeliveredOneWrittenAfterANewerIsSupersededAndOneNowhereIsNotWritten()
			throws Exception {
		createStatusTopic();
		String run = UUID.randomUUID().toString();
		String lost = "lost-" + run;
		String stale = "stale-" + run;
		String skipped = "skipped-" + run;
		long since = System.currentTimeMillis() - 60_000;
		try (KafkaProducer<String, JobStatusChanged> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
				new AvroSerializer<>(JobStatusChanged.class));
				KafkaProducer<String, byte[]> poison = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
						new ByteArraySerializer())) {
			write(producer, lost, 0, 1, 2, 3);
			poison.send(new ProducerRecord<>(Topics.JOB_STATUS, "alice", "not avro".getBytes(StandardCharsets.UTF_8)))
				.get();
			write(producer, stale, 0, 2, 1, 3);
			write(producer, skipped, 0, 2, 3);
		}
		Map<String, List<Long>> missing = Map.of(lost, List.of(JobFrame.version(1, 2)), stale,
				List.of(JobFrame.version(1, 1)), skipped, List.of(JobFrame.version(1, 1)));

		ByteArrayOutputStream log = new ByteArrayOutputStream();
		MissingVersions.Explained explained = new MissingVersions(this.brokers).explain(missing, since,
				new PrintStream(log, true, StandardCharsets.UTF_8));

		assertThat(explained.undelivered()).isOne();
		assertThat(explained.superseded()).isOne();
		assertThat(explained.notWritten()).isOne();
		assertThat(explained.undeliveredExamples()).singleElement()
			.satisfies((example) -> assertThat(example).startsWith(lost + " version (attempt 1, sequence 2) at 0-"));
		assertThat(log.toString(StandardCharsets.UTF_8)).contains("to explain 3 jobs' gaps");
	}

	private static void write(KafkaProducer<String, JobStatusChanged> producer, String job, int... sequences)
			throws Exception {
		for (int sequence : sequences) {
			producer.send(new ProducerRecord<>(Topics.JOB_STATUS, "alice",
					JobEvents.aSnapshot(job, JobState.RUNNING, 1, sequence).build())).get();
		}
	}

	private void createStatusTopic() throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			admin.createTopics(List.of(new NewTopic(Topics.JOB_STATUS, 1, (short) 1))).all().get();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw ex;
			}
		}
	}

}
