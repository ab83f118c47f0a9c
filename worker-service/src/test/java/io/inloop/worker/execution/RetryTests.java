package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.KafkaTestClient.TopicReader;
import io.inloop.worker.StatusEvents;
import io.inloop.worker.WorkerTest;

import org.springframework.kafka.support.KafkaHeaders;

import static io.inloop.worker.KafkaTestClient.command;
import static io.inloop.worker.StatusEvents.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@WorkerTest
class RetryTests {

	private static KafkaTestClient kafka;

	private static StatusEvents status;

	@BeforeAll
	static void connect() {
		kafka = new KafkaTestClient();
		status = new StatusEvents(kafka);
	}

	@AfterAll
	static void close() {
		status.close();
		kafka.close();
	}

	@Test
	void flakyJobIsRetriedUntilItSucceedsAndShowsEachAttemptOnce() {
		SubmitJob command = command("demo.flaky", "{\"failures\": 2}");
		kafka.submit(command);

		List<JobStatusChanged> events = status.awaitTerminal(command);

		assertThat(events).extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.RUNNING, 1, 0), tuple(JobState.RETRYING, 1, 1), tuple(JobState.RUNNING, 2, 0),
					tuple(JobState.RETRYING, 2, 1), tuple(JobState.RUNNING, 3, 0), tuple(JobState.SUCCEEDED, 3, 1));
		assertThat(events).extracting(JobLifecycle::version).isSorted();
		for (JobStatusChanged retrying : List.of(events.get(1), events.get(3))) {
			assertThat(retrying.getNextAttemptAt()).isAfter(retrying.getUpdatedAt());
			assertThat(retrying.getError()).extracting(JobError::getCode, JobError::getRetryable)
				.containsExactly("handler-error", true);
			assertThat(retrying.getError().getMessage()).contains("attempt " + retrying.getAttempt());
			assertThat(retrying.getFinishedAt()).isNull();
		}
		// The next attempt starts when its RETRYING snapshot said, not before
		assertThat(events.get(2).getStartedAt()).isAfterOrEqualTo(events.get(1).getNextAttemptAt());
		assertThat(events.get(4).getStartedAt()).isAfterOrEqualTo(events.get(3).getNextAttemptAt());
		assertThat(events.get(5).getResult()).isEqualTo("{\"attempts\":3}");
	}

	@Test
	void jobThatAlwaysFailsEndsFailedAfterMaxAttemptsAndItsCommandIsDeadLettered() throws Exception {
		SubmitJob command = command("demo.fail", "{\"message\": \"The printer is on fire\"}");
		RecordMetadata submitted = kafka.submit(command);

		List<JobStatusChanged> events = status.awaitTerminal(command);

		assertThat(events).extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt)
			.containsExactly(tuple(JobState.RUNNING, 1), tuple(JobState.RETRYING, 1), tuple(JobState.RUNNING, 2),
					tuple(JobState.RETRYING, 2), tuple(JobState.RUNNING, 3), tuple(JobState.FAILED, 3));
		assertThat(events.get(5).getError()).extracting(JobError::getCode, JobError::getMessage)
			.containsExactly("handler-error", "The printer is on fire");
		try (TopicReader deadLetters = kafka.reader(Topics.deadLetter(Topics.JOB_COMMANDS))) {
			ConsumerRecord<String, byte[]> deadLetter = eventually()
				.until(() -> deadLetters.read(TopicReader.keyed(command.getJobId())), (found) -> !found.isEmpty())
				.get(0);
			assertThat(header(deadLetter, ExecutionConfiguration.ERROR_CODE_HEADER)).isEqualTo("handler-error");
			assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("The printer is on fire");
			assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_OFFSET)).isNotNull();
		}
		eventually().until(() -> kafka.isSettled(submitted));
	}

	@Test
	void permanentFailureFailsAtOnceWithoutRetry() throws Exception {
		SubmitJob command = command("demo.flaky", "{\"failures\": -1}");
		RecordMetadata submitted = kafka.submit(command);

		List<JobStatusChanged> events = status.awaitTerminal(command);

		assertThat(events).extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt)
			.containsExactly(tuple(JobState.RUNNING, 1), tuple(JobState.FAILED, 1));
		assertThat(events.get(1).getError()).extracting(JobError::getCode, JobError::getRetryable)
			.containsExactly("invalid-payload", false);
		eventually().until(() -> kafka.isSettled(submitted));
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
