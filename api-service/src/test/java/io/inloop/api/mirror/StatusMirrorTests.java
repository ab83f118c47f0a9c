package io.inloop.api.mirror;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobEvents;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.JobView;
import io.inloop.schemas.NewerWriter;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The mirror against the real broker: api-service's own, fed with status records as the services write them. */
@SpringBootTest(properties = { "inloop.status-mirror.enabled=true", "inloop.ledger.stall-after=1h" })
@ActiveProfiles("test")
class StatusMirrorTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	@Autowired
	@Qualifier("statusMirror")
	private HealthIndicator health;

	private StatusTopic status;

	@BeforeEach
	void connect() {
		this.status = new StatusTopic(this.brokers);
	}

	@AfterEach
	void close() {
		this.status.close();
	}

	@Test
	void mirrorsEachStatusRecordOnceAsItsJobFrameInTheSamePartitionInOrder() throws Exception {
		String owner = "owner-" + UUID.randomUUID();
		List<JobStatusChanged> events = List.of(
				snapshot(owner, "job-1", JobState.QUEUED, 0, 0).setProgress(new JobProgress(0L, 0L)).setMessage(null).build(),
				snapshot(owner, "job-1", JobState.RUNNING, 1, 0).build(),
				snapshot(owner, "job-2", JobState.QUEUED, 0, 0).build(),
				// The same snapshot twice (a producer's retry, say): a copy of the topic has it twice too
				snapshot(owner, "job-1", JobState.RUNNING, 1, 0).build(),
				snapshot(owner, "job-1", JobState.FAILED, 1, 1)
					.setError(new JobError("handler-error", "Out of disk", false))
					.setFinishedAt(Instant.parse("2026-11-27T10:15:42.510Z"))
					.build());
		List<RecordMetadata> written = events.stream().map(this.status::send).toList();
		// The last one: once it is mirrored, everything before it is too, so nothing more can come
		RecordMetadata last = this.status.send(snapshot(owner, "job-2", JobState.CANCELLED, 0, 1).build());

		List<ConsumerRecord<String, String>> mirrored = await().atMost(PATIENCE)
			.until(() -> this.status.mirrored(owner), (records) -> records.size() == events.size() + 1);

		for (int i = 0; i < events.size(); i++) {
			ConsumerRecord<String, String> record = mirrored.get(i);
			RecordMetadata source = written.get(i);
			assertThat(record.key()).isEqualTo(owner);
			assertThat(record.partition()).isEqualTo(source.partition());
			assertThat(record.timestamp()).isEqualTo(source.timestamp());
			assertThat(this.json.readTree(record.value())).isEqualTo(this.json.readTree(this.json.writeValueAsString(
					new StatusFrames.Envelope("job", source.partition() + "-" + source.offset(), JobView.of(events.get(i))))));
		}
		assertThat(mirrored.get(events.size()).value()).contains("\"cursor\":\"" + last.partition() + "-" + last.offset() + "\"");
		JsonNode failed = this.json.readTree(mirrored.get(4).value());
		assertThat(failed.get("type").asString()).isEqualTo("job");
		assertThat(failed.at("/job/state").asString()).isEqualTo("FAILED");
		assertThat(failed.at("/job/error/code").asString()).isEqualTo("handler-error");
		assertThat(failed.at("/job/version").asLong()).isEqualTo((1L << 32) | (1L << 1));
		assertThat(failed.at("/job/finishedAt").asString()).isEqualTo("2026-11-27T10:15:42.510Z");
	}

	@Test
	void copiesTheHeadersOfEachStatusRecord() {
		String owner = "owner-" + UUID.randomUUID();
		RecordHeaders headers = new RecordHeaders();
		headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
		this.status.send(owner, new io.inloop.schemas.serde.AvroSerializer<>(JobStatusChanged.class)
			.serialize(Topics.JOB_STATUS, snapshot(owner, "job-1", JobState.QUEUED, 0, 0).build()), headers);

		ConsumerRecord<String, String> mirrored = await().atMost(PATIENCE)
			.until(() -> this.status.mirrored(owner), (records) -> records.size() == 1).get(0);

		assertThat(mirrored.headers().lastHeader("traceparent").value()).asString(StandardCharsets.UTF_8)
			.isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
	}

	@Test
	void skipsARecordThatIsNotAStatusEventAndGoesOn() {
		String owner = "owner-" + UUID.randomUUID();
		this.status.send(owner, "not a snapshot".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
		this.status.send(snapshot(owner, "job-1", JobState.QUEUED, 0, 0).build());

		List<ConsumerRecord<String, String>> mirrored = await().atMost(PATIENCE)
			.until(() -> this.status.mirrored(owner), (records) -> !records.isEmpty());

		assertThat(mirrored).singleElement().satisfies((record) -> assertThat(record.value()).contains("\"id\":\"job-1\""));
		await().atMost(PATIENCE).until(() -> this.health.health().getStatus().equals(Status.UP));
	}

	@Test
	void aRecordOfASchemaNowhereToBeFoundHoldsTheMirrorThereUntilItIsPublished() throws Exception {
		String owner = "owner-" + UUID.randomUUID();
		NewerWriter unpublished = NewerWriter.withExtraField("f" + UUID.randomUUID().toString().replace("-", ""));
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.brokers);
		try (SchemaCatalog writer = new SchemaCatalog(client, client)) {
			try {
				this.status.send(owner, unpublished.write(snapshot(owner, "job-1", JobState.RUNNING, 1, 0).build()),
						new RecordHeaders());
				this.status.send(snapshot(owner, "job-2", JobState.QUEUED, 0, 0).build());

				await().atMost(PATIENCE).until(() -> this.health.health().getDetails().containsKey("heldAt"));
				assertThat(this.health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(this.status.mirrored(owner)).as("nothing read past the held record").isEmpty();
			}
			finally {
				// Also lets the other tests' records in that partition through
				unpublished.publishTo(writer);
			}
		}

		List<ConsumerRecord<String, String>> mirrored = await().atMost(PATIENCE)
			.until(() -> this.status.mirrored(owner), (records) -> records.size() >= 2);
		assertThat(mirrored).extracting((record) -> this.json.readTree(record.value()).at("/job/id").asString())
			.as("each once, in order")
			.containsExactly("job-1", "job-2");
		await().atMost(PATIENCE).until(() -> this.health.health().getStatus().equals(Status.UP));
	}

	@Test
	void isOffWhenDisabled() {
		new ApplicationContextRunner().withUserConfiguration(StatusMirrorConfiguration.class)
			.withPropertyValues("inloop.status-mirror.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StatusMirror.class));
	}

	/** Updated now: a running job updated long ago would be reported STALLED by the ledger at once. */
	static JobStatusChanged.Builder snapshot(String owner, String job, JobState state, int attempt, int sequence) {
		Instant now = Instant.now();
		return JobEvents.aSnapshot(job, state, attempt, sequence).setOwner(owner).setSubmittedAt(now).setUpdatedAt(now);
	}

}
