package io.inloop.cli.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.inloop.cli.CommandRun;
import io.inloop.cli.TestKafka;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.DeserializationException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(TestKafka.class)
class DeadLettersCommandTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final byte[] POISON = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);

	private String commands;

	private String status;

	private DefaultKafkaProducerFactory<byte[], byte[]> producers;

	private DeadLetterPublishingRecoverer recoverer;

	@BeforeEach
	void createTopics() {
		this.commands = TestKafka.createTopic("commands", 2);
		this.status = TestKafka.createTopic("status", 1);
		TestKafka.createTopicNamed(Topics.deadLetter(this.commands), 2);
		this.producers = new DefaultKafkaProducerFactory<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new ByteArraySerializer(),
				new ByteArraySerializer());
		// As the worker does: the dead-letter topic is <topic>-dlt, partitioned by key.
		this.recoverer = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(this.producers),
				(record, ex) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
	}

	@AfterEach
	void closeProducers() {
		this.producers.destroy();
	}

	@Test
	void listShowsADeadLetterWithItsError() {
		deadLetter(command("job-1"), 7, new IllegalStateException("attempts exhausted: disk full"));
		deadLetter(POISON, 8, new DeserializationException("Not an Avro single-object encoded record", POISON, false, null));
		deadLetter(command("job-2", "billing-service"), 9, new IllegalStateException("attempts exhausted"));
		CommandRun run = dlt("list");
		assertThat(run.exitCode()).as(run.err()).isZero();
		List<JsonNode> lines = run.lines().stream().map(json::readTree).toList();
		assertThat(lines).hasSize(3);
		JsonNode readable = lines.stream().filter((line) -> line.get("job").asString().equals("job-1")).findFirst().orElseThrow();
		assertThat(readable.get("cursor").asString()).matches("\\d+-\\d+");
		assertThat(readable.get("originalTopic").asString()).isEqualTo(this.commands);
		assertThat(readable.get("originalOffset").asLong()).isEqualTo(7);
		assertThat(readable.get("error").asString()).contains("attempts exhausted: disk full");
		assertThat(readable.get("exception").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(readable.get("readable").asBoolean()).isTrue();
		assertThat(readable.get("command").get("type").asString()).isEqualTo("report");
		assertThat(readable.get("command").get("owner").asString()).isEqualTo("alice");
		assertThat(readable.get("command").has("submittedBy")).isFalse();
		JsonNode submittedFor = lines.stream().filter((line) -> line.get("job").asString().equals("job-2")).findFirst().orElseThrow();
		assertThat(submittedFor.get("command").get("submittedBy").asString()).isEqualTo("billing-service");
		JsonNode poison = lines.stream().filter((line) -> line.get("job").asString().equals("job-poison")).findFirst().orElseThrow();
		assertThat(poison.get("readable").asBoolean()).isFalse();
		assertThat(poison.get("unreadable").asString()).contains("Not an Avro single-object encoded record");
		assertThat(poison.has("command")).isFalse();

		CommandRun table = dlt("list", "--format", "table");
		assertThat(table.lines()).hasSize(4);
		assertThat(table.out()).contains("CURSOR", "ERROR", "report of alice", "report of alice by billing-service", "UNREADABLE", "attempts exhausted: disk full",
				this.commands + " 0-7");
	}

	@Test
	void resubmitPutsTheOriginalCommandBackAndRefusesAPoisonRecordWithoutForce() {
		byte[] original = command("job-1");
		deadLetter(original, 7, new IllegalStateException("attempts exhausted: disk full"));
		deadLetter(POISON, 8, new DeserializationException("unreadable", POISON, false, null));
		List<JsonNode> listed = dlt("list").lines().stream().map(json::readTree).toList();
		String readableCursor = cursorOf(listed, "job-1");
		String poisonCursor = cursorOf(listed, "job-poison");

		CommandRun resubmitted = dlt("resubmit", readableCursor);
		assertThat(resubmitted.exitCode()).as(resubmitted.err()).isZero();
		JsonNode printed = json.readTree(resubmitted.lines().get(0));
		assertThat(printed.get("cursor").asString()).isEqualTo(readableCursor);
		assertThat(printed.get("topic").asString()).isEqualTo(this.commands);
		String newJob = printed.get("newJob").asString();
		assertThat(newJob).isNotEqualTo("job-1");
		// The old job ended FAILED for good: it runs again as a new job that points to it
		List<ConsumerRecord<byte[], byte[]>> back = TestKafka.readAll(this.commands, 1);
		assertThat(back).singleElement().satisfies((record) -> {
			assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(newJob);
			SubmitJob again = new AvroDeserializer<>(SubmitJob.class).deserialize(this.commands, record.value());
			assertThat(again.getJobId()).isEqualTo(newJob);
			assertThat(again.getResubmitOf()).isEqualTo("job-1");
			assertThat(again.getAttempt()).isEqualTo(1);
			assertThat(again.getOwner()).isEqualTo("alice");
			assertThat(again.getType()).isEqualTo("report");
			assertThat(record.headers().lastHeader("traceparent")).isNotNull();
			assertThat(record.headers()).noneMatch((header) -> header.key().startsWith("kafka_dlt-"));
		});
		// And its owner is told, as for any submission
		assertThat(TestKafka.readAll(this.status, 1)).singleElement().satisfies((record) -> {
			assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("alice");
			JobStatusChanged queued = new AvroDeserializer<>(JobStatusChanged.class).deserialize(this.status, record.value());
			assertThat(queued.getJobId()).isEqualTo(newJob);
			assertThat(queued.getState()).isEqualTo(JobState.QUEUED);
			assertThat(queued.getResubmitOf()).isEqualTo("job-1");
		});

		CommandRun refused = dlt("resubmit", poisonCursor);
		assertThat(refused.exitCode()).isEqualTo(1);
		assertThat(refused.err()).contains("Refused " + poisonCursor + ": not a readable SubmitJob", "--force");
		assertThat(TestKafka.readAll(this.commands, 1)).hasSize(1);

		CommandRun forced = dlt("resubmit", poisonCursor, "--force");
		assertThat(forced.exitCode()).as(forced.err()).isZero();
		assertThat(forced.err()).contains("no owner is told");
		assertThat(TestKafka.readAll(this.commands, 2)).hasSize(2).anySatisfy((record) -> assertThat(record.value()).isEqualTo(POISON));
	}

	@Test
	void resubmitAllWithAJobSelectsThatJobOnly() {
		deadLetter(command("job-1"), 1, new IllegalStateException("boom"));
		deadLetter(command("job-2"), 2, new IllegalStateException("boom"));
		CommandRun run = dlt("resubmit", "--all", "--job", "job-2", "--format", "table");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).contains("RESUBMITTED TO", "NEW JOB", "job-2").doesNotContain("job-1");
		assertThat(TestKafka.readAll(this.commands, 1)).singleElement()
			.satisfies((record) -> assertThat(new AvroDeserializer<>(SubmitJob.class).deserialize(this.commands, record.value())
				.getResubmitOf()).isEqualTo("job-2"));
	}

	@Test
	void anUnknownCursorResubmitsNothing() {
		deadLetter(command("job-1"), 1, new IllegalStateException("boom"));
		String cursor = cursorOf(dlt("list").lines().stream().map(json::readTree).toList(), "job-1");
		CommandRun run = dlt("resubmit", cursor, "0-99");
		assertThat(run.exitCode()).isEqualTo(1);
		assertThat(run.err()).contains("No dead letter at 0-99", "nothing re-submitted");
	}

	@Test
	void aMalformedCursorIsAUsageError() {
		CommandRun run = dlt("resubmit", "seven");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).contains("Not a cursor (<partition>-<offset>): 'seven'");
	}

	@Test
	void theHeaderNamesAreSpringKafkas() {
		assertThat(DeadLetterHeaders.ORIGINAL_TOPIC).isEqualTo(KafkaHeaders.DLT_ORIGINAL_TOPIC);
		assertThat(DeadLetterHeaders.ORIGINAL_PARTITION).isEqualTo(KafkaHeaders.DLT_ORIGINAL_PARTITION);
		assertThat(DeadLetterHeaders.ORIGINAL_OFFSET).isEqualTo(KafkaHeaders.DLT_ORIGINAL_OFFSET);
		assertThat(DeadLetterHeaders.EXCEPTION_FQCN).isEqualTo(KafkaHeaders.DLT_EXCEPTION_FQCN);
		assertThat(DeadLetterHeaders.EXCEPTION_CAUSE_FQCN).isEqualTo(KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN);
		assertThat(DeadLetterHeaders.EXCEPTION_MESSAGE).isEqualTo(KafkaHeaders.DLT_EXCEPTION_MESSAGE);
	}

	private void deadLetter(byte[] value, long offset, Exception failure) {
		String job = (value == POISON) ? "job-poison" : new String(value, StandardCharsets.UTF_8).contains("job-1") ? "job-1" : "job-2";
		RecordHeaders headers = new RecordHeaders();
		headers.add(new RecordHeader("traceparent", "00-trace-01".getBytes(StandardCharsets.UTF_8)));
		ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(this.commands, 0, offset, Instant.now().toEpochMilli(),
				TimestampType.CREATE_TIME, -1, value.length, job.getBytes(StandardCharsets.UTF_8), value, headers,
				java.util.Optional.empty());
		this.recoverer.accept(record, failure);
	}

	private static byte[] command(String jobId) {
		return command(jobId, null);
	}

	private static byte[] command(String jobId, @Nullable String submittedBy) {
		SubmitJob command = SubmitJob.newBuilder()
			.setJobId(jobId)
			.setOwner("alice")
			.setType("report")
			.setPayload("{}")
			.setSubmittedAt(Instant.parse("2026-11-27T10:00:00Z"))
			.setSubmittedBy(submittedBy)
			.build();
		return new AvroSerializer<>(SubmitJob.class).serialize(Topics.JOB_COMMANDS, command);
	}

	private static String cursorOf(List<JsonNode> listed, String job) {
		return listed.stream().filter((line) -> line.get("job").asString().equals(job)).findFirst().orElseThrow()
			.get("cursor").asString();
	}

	private CommandRun dlt(String... args) {
		List<String> all = new ArrayList<>(List.of("dlt"));
		all.addAll(List.of(args));
		all.addAll(List.of("--bootstrap-servers", TestKafka.bootstrapServers(), "--topic", this.commands));
		if (args[0].equals("resubmit")) {
			all.addAll(List.of("--status-topic", this.status));
		}
		return CommandRun.of(all.toArray(String[]::new));
	}

}
