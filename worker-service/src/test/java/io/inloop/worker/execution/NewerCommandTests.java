package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobState;
import io.inloop.schemas.NewerWriter;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.KafkaTestClient.TopicReader;
import io.inloop.worker.StatusEvents;
import io.inloop.worker.WorkerTest;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static io.inloop.worker.KafkaTestClient.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Commands of an API one release ahead of this worker, as in a rolling deploy: none is lost. */
@WorkerTest
class NewerCommandTests {

	@Autowired
	private SchemaHolds holds;

	@Autowired
	private Cancellations cancellations;

	@Autowired
	@Qualifier("jobSlots")
	private HealthIndicator jobSlots;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	private KafkaTestClient kafka;

	private StatusEvents status;

	/** The newer writer's process. */
	private SchemaCatalog writer;

	@BeforeEach
	void connect() {
		this.kafka = new KafkaTestClient();
		this.status = new StatusEvents(this.kafka);
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.brokers);
		this.writer = new SchemaCatalog(client, client);
	}

	@AfterEach
	void close() {
		this.writer.close();
		this.status.close();
		this.kafka.close();
	}

	@Test
	void commandOfANewerWriterRuns() {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		NewerWriter newer = NewerWriter.withExtraField(SubmitJob.getClassSchema(), "priority").publishTo(this.writer);

		this.kafka.send(command.getJobId(), newer.write(command));

		assertThat(this.status.terminalOf(command).getState()).isEqualTo(JobState.SUCCEEDED);
	}

	@Test
	void cancellationWhoseSchemaIsNowhereHoldsTheControlListenerUntilItIsPublishedThenCancels() {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		NewerWriter unpublished = NewerWriter.withExtraField(CancelJob.getClassSchema(),
				"f" + UUID.randomUUID().toString().replace("-", ""));
		try {
			RecordMetadata sent = this.kafka.send(Topics.JOB_CONTROL, command.getJobId(),
					unpublished.write(new CancelJob(command.getJobId(), command.getOwner(), Instant.now(), null)));

			await().atMost(Duration.ofSeconds(20)).until(() -> this.holds.current().containsKey(CancellationListener.READER));
			assertThat(this.holds.current().get(CancellationListener.READER).record())
				.isEqualTo(Topics.JOB_CONTROL + "-" + sent.partition() + "@" + sent.offset());
			assertThat(this.jobSlots.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(this.cancellations.isCancelled(command.getJobId())).isFalse();
		}
		finally {
			unpublished.publishTo(this.writer);
		}

		await().atMost(Duration.ofSeconds(20)).until(() -> this.cancellations.isCancelled(command.getJobId()));
		await().until(this.holds::isEmpty);
		this.kafka.submit(command);
		assertThat(this.status.terminalOf(command).getState()).isEqualTo(JobState.CANCELLED);
	}

	@Test
	void commandWhoseSchemaIsNowhereHoldsItsSlotUntilItIsPublishedThenRuns() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		NewerWriter unpublished = NewerWriter.withExtraField(SubmitJob.getClassSchema(),
				"f" + UUID.randomUUID().toString().replace("-", ""));
		RecordMetadata sent;
		try (TopicReader deadLetters = this.kafka.reader(Topics.deadLetter(Topics.JOB_COMMANDS))) {
			try {
				sent = this.kafka.send(command.getJobId(), unpublished.write(command));

				await().atMost(Duration.ofSeconds(20)).until(() -> !this.holds.isEmpty());
				assertThat(this.holds.current().values()).singleElement()
					.satisfies((hold) -> assertThat(hold.record())
						.isEqualTo(Topics.JOB_COMMANDS + "-" + sent.partition() + "@" + sent.offset()))
					.satisfies((hold) -> assertThat(hold.reason()).contains(SchemaCatalog.key(unpublished.fingerprint())));
				assertThat(this.jobSlots.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
					.until(() -> this.status.of(command).isEmpty() && !this.kafka.isSettled(sent));
				assertThat(deadLetters.read(TopicReader.keyed(command.getJobId()))).as("held, not dead-lettered")
					.isEmpty();
			}
			finally {
				unpublished.publishTo(this.writer);
			}

			assertThat(this.status.terminalOf(command).getState()).isEqualTo(JobState.SUCCEEDED);
			await().until(this.holds::isEmpty);
			assertThat(this.jobSlots.health().getStatus()).isEqualTo(Status.UP);
			assertThat(deadLetters.read(TopicReader.keyed(command.getJobId()))).isEmpty();
		}
	}

}
