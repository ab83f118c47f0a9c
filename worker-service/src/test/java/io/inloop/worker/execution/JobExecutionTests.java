package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.KafkaTestClient.TopicReader;
import io.inloop.worker.WorkerTest;

import org.springframework.kafka.support.KafkaHeaders;

import static io.inloop.worker.KafkaTestClient.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WorkerTest
class JobExecutionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final AvroDeserializer<JobStatusChanged> snapshots = new AvroDeserializer<>(JobStatusChanged.class);

	/** Shared by the tests (each has its own jobs and owners), created once the topics exist. */
	private static @Nullable KafkaTestClient kafka;

	private static @Nullable TopicReader status;

	@BeforeEach
	void connect() {
		if (kafka == null) {
			kafka = new KafkaTestClient();
			status = kafka.reader(Topics.JOB_STATUS);
		}
	}

	@AfterAll
	static void close() {
		if (kafka != null) {
			status.close();
			kafka.close();
		}
	}

	@Test
	void stepsJobReportsEveryStepThenSucceeds() {
		SubmitJob command = command("demo.steps", "{\"steps\": 5}");
		kafka.submit(command);

		List<ConsumerRecord<String, byte[]>> records = awaitTerminal(command);

		assertThat(records).extracting(ConsumerRecord::key).containsOnly(command.getOwner());
		List<JobStatusChanged> events = decode(records);
		assertThat(events).extracting(JobStatusChanged::getState)
			.containsExactly(JobState.RUNNING, JobState.RUNNING, JobState.RUNNING, JobState.RUNNING,
					JobState.RUNNING, JobState.RUNNING, JobState.SUCCEEDED);
		assertThat(events).extracting(JobStatusChanged::getSequence).containsExactly(0, 1, 2, 3, 4, 5, 6);
		assertThat(events).extracting(JobStatusChanged::getAttempt).containsOnly(1);
		assertThat(events).extracting((event) -> event.getProgress().getDone()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 5L);
		assertThat(events.subList(1, 7)).extracting((event) -> event.getProgress().getTotal()).containsOnly(5L);
		assertThat(events.subList(1, 6)).extracting(JobStatusChanged::getMessage)
			.containsExactlyElementsOf(IntStream.rangeClosed(1, 5).mapToObj((step) -> "Step " + step + " of 5").toList());
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.getJobId()).isEqualTo(command.getJobId());
			assertThat(event.getOwner()).isEqualTo(command.getOwner());
			assertThat(event.getType()).isEqualTo("demo.steps");
			assertThat(event.getSubmittedAt()).isEqualTo(command.getSubmittedAt());
			assertThat(event.getStartedAt()).isEqualTo(events.get(0).getStartedAt()).isNotNull();
			assertThat(event.getError()).isNull();
		});
		assertThat(events).extracting(JobLifecycle::version).isSorted();
		JobStatusChanged succeeded = events.get(6);
		assertThat(succeeded.getResult()).isEqualTo("{\"steps\":5}");
		assertThat(succeeded.getFinishedAt()).isNotNull().isAfterOrEqualTo(succeeded.getStartedAt());
		assertThat(events.subList(0, 6)).extracting(JobStatusChanged::getFinishedAt).containsOnlyNulls();
	}

	@Test
	void failingJobEndsFailedWithTheHandlersMessage() {
		SubmitJob command = command("demo.fail", "{\"message\": \"The printer is on fire\"}");
		command.setMaxAttempts(1);
		kafka.submit(command);

		List<JobStatusChanged> events = decode(awaitTerminal(command));

		assertThat(events).extracting(JobStatusChanged::getState).containsExactly(JobState.RUNNING, JobState.FAILED);
		JobStatusChanged failed = events.get(1);
		assertThat(failed.getError()).extracting(JobError::getCode, JobError::getMessage)
			.containsExactly("handler-error", "The printer is on fire");
		assertThat(failed.getSequence()).isEqualTo(1);
		assertThat(failed.getResult()).isNull();
		assertThat(failed.getFinishedAt()).isNotNull();
	}

	@Test
	void failingJobWithoutMessageFailsWithTheDefaultMessage() {
		SubmitJob command = command("demo.fail", "{}");
		command.setMaxAttempts(1);
		kafka.submit(command);

		assertThat(terminalOf(command).getError()).extracting(JobError::getCode, JobError::getMessage)
			.containsExactly("handler-error", "Demo failure: this job always fails");
	}

	@Test
	void unknownTypeFailsWithUnknownType() {
		SubmitJob command = command("demo.nothing", "{}");
		kafka.submit(command);

		JobError error = terminalOf(command).getError();
		assertThat(error.getCode()).isEqualTo("unknown-type");
		assertThat(error.getMessage()).contains("demo.nothing");
		assertThat(error.getRetryable()).isFalse();
	}

	@Test
	void payloadRejectedByTheHandlerFailsWithInvalidPayload() {
		SubmitJob command = command("demo.steps", "{\"steps\": 0}");
		kafka.submit(command);

		JobStatusChanged failed = terminalOf(command);
		assertThat(failed.getState()).isEqualTo(JobState.FAILED);
		assertThat(failed.getError()).extracting(JobError::getCode, JobError::getMessage, JobError::getRetryable)
			.containsExactly("invalid-payload", "Invalid payload for demo.steps: steps must be between 1 and 10000, was 0",
					false);
	}

	@Test
	void payloadThatIsNotJsonFailsWithInvalidPayload() {
		SubmitJob command = command("demo.steps", "five steps, please");
		kafka.submit(command);

		JobStatusChanged failed = terminalOf(command);
		assertThat(failed.getState()).isEqualTo(JobState.FAILED);
		assertThat(failed.getError().getCode()).isEqualTo("invalid-payload");
	}

	@Test
	void unreadableCommandGoesToTheDeadLetterTopicAndTheNextJobStillRuns() {
		SubmitJob next = command("demo.steps", "{\"steps\": 1}");
		byte[] garbage = "definitely not Avro".getBytes(StandardCharsets.UTF_8);
		RecordMetadata poison = kafka.send(next.getJobId(), garbage);
		RecordMetadata valid = kafka.submit(next);
		assertThat(valid.partition()).isEqualTo(poison.partition());

		try (TopicReader deadLetters = kafka.reader(Topics.deadLetter(Topics.JOB_COMMANDS))) {
			ConsumerRecord<String, byte[]> deadLetter = eventually()
				.until(() -> deadLetters.read(TopicReader.keyed(next.getJobId())), (found) -> !found.isEmpty())
				.get(0);
			assertThat(deadLetter.value()).isEqualTo(garbage);
			assertThat(deadLetter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET)).isNotNull();
			assertThat(header(deadLetter, "inloop_error-code")).isEqualTo("unreadable-command");
			assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
				.contains("Not an Avro single-object encoded record");
		}
		assertThat(terminalOf(next).getState()).isEqualTo(JobState.SUCCEEDED);
	}

	@Test
	void commandIsAcceptedOnceItsRunningIsWrittenNotWhenTheJobEnds() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 3, \"delayMs\": 1000}");
		RecordMetadata submitted = kafka.submit(command);

		eventually().until(() -> status.read(TopicReader.keyed(command.getOwner())), (found) -> !found.isEmpty());
		eventually().until(() -> kafka.isSettled(submitted));
		assertThat(decode(status.read(TopicReader.keyed(command.getOwner())))).as("still running once settled")
			.noneMatch((event) -> JobLifecycle.isTerminal(event.getState()));

		assertThat(terminalOf(command).getState()).isEqualTo(JobState.SUCCEEDED);
	}

	/** Polls often: a job takes milliseconds, not the default 100 ms poll interval. */
	private static ConditionFactory eventually() {
		return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private JobStatusChanged terminalOf(SubmitJob command) {
		List<JobStatusChanged> events = decode(awaitTerminal(command));
		return events.get(events.size() - 1);
	}

	/** The job's snapshots up to and including its terminal one. */
	private List<ConsumerRecord<String, byte[]>> awaitTerminal(SubmitJob command) {
		return eventually()
			.until(() -> status.read(TopicReader.keyed(command.getOwner())),
					(records) -> decode(records).stream().anyMatch((event) -> JobLifecycle.isTerminal(event.getState())));
	}

	private List<JobStatusChanged> decode(List<ConsumerRecord<String, byte[]>> records) {
		return records.stream().map((record) -> this.snapshots.deserialize(record.topic(), record.value())).toList();
	}

}
