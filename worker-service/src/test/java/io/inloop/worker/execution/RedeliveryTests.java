package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.KafkaTestClient.TopicReader;
import io.inloop.worker.StatusEvents;
import io.inloop.worker.WorkerTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static io.inloop.worker.KafkaTestClient.command;
import static io.inloop.worker.StatusEvents.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A worker that died mid-job left its command uncommitted, with the attempt it had started in
 * the committed offset's metadata; the worker that gets the command next runs the next attempt.
 */
@WorkerTest
class RedeliveryTests {

	private static KafkaTestClient kafka;

	private static StatusEvents status;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

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

	@AfterEach
	void restartListener() {
		commands().start();
	}

	@Test
	void commandRedeliveredAfterACrashRunsTheNextAttempt() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		RecordMetadata submitted = leftBehindByADeadWorker(command, 1);

		List<JobStatusChanged> events = status.awaitTerminal(command);
		assertThat(events).extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.RUNNING, 2, 0), tuple(JobState.RUNNING, 2, 1), tuple(JobState.RUNNING, 2, 2),
					tuple(JobState.SUCCEEDED, 2, 3));
		eventually().until(() -> kafka.committedOffset(submitted) == submitted.offset() + 1);
	}

	@Test
	void jobWhoseWorkersKeptDyingFailsOnceItHasNoAttemptsLeftAndIsDeadLettered() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		leftBehindByADeadWorker(command, 3);

		assertThat(status.awaitTerminal(command))
			.extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.FAILED, 4, 0));
		assertThat(status.terminalOf(command).getError()).extracting(JobError::getCode).isEqualTo("worker-lost");
		try (TopicReader deadLetters = kafka.reader(Topics.deadLetter(Topics.JOB_COMMANDS))) {
			eventually().until(() -> deadLetters.read(TopicReader.keyed(command.getJobId())), (found) -> !found.isEmpty())
				.forEach((deadLetter) -> assertThat(new String(
						deadLetter.headers().lastHeader(ExecutionConfiguration.ERROR_CODE_HEADER).value(),
						StandardCharsets.UTF_8))
					.isEqualTo("worker-lost"));
		}
	}

	/** Submits the command while no worker runs, marks attempt {@code attempt} started, starts a worker. */
	private RecordMetadata leftBehindByADeadWorker(SubmitJob command, int attempt) throws Exception {
		MessageListenerContainer commands = commands();
		commands.stop();
		RecordMetadata submitted = kafka.submit(command);
		// The group has no members once the stopped consumers have left it
		eventually().ignoreExceptions().untilAsserted(() -> kafka.markStarted(submitted, attempt));
		commands.start();
		return submitted;
	}

	private MessageListenerContainer commands() {
		return this.listeners.getListenerContainer(JobCommandListener.ID);
	}

}
