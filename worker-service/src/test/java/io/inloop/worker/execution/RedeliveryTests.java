package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

import static io.inloop.worker.KafkaTestClient.command;
import static io.inloop.worker.StatusEvents.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A worker that died mid-job holds its command until the command's lock runs out; the share group
 * then delivers it again, and the slot that gets it runs the next attempt (its delivery count says
 * which).
 */
@WorkerTest
class RedeliveryTests {

	private static KafkaTestClient kafka;

	private static StatusEvents status;

	@Autowired
	JobQueue queue;

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
	void restartQueue() {
		if (!this.queue.isRunning()) {
			this.queue.start();
		}
	}

	@Test
	void commandRedeliveredAfterACrashRunsTheNextAttempt() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		RecordMetadata[] submitted = new RecordMetadata[1];
		takenByADeadWorker(command, submitted);
		Instant died = Instant.now();

		List<JobStatusChanged> events = status.awaitTerminal(command);
		assertThat(events).extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.RUNNING, 2, 0), tuple(JobState.RUNNING, 2, 1), tuple(JobState.RUNNING, 2, 2),
					tuple(JobState.SUCCEEDED, 2, 3));
		// Within the lock duration (3 s here) at most, plus the time to hand it to a slot
		assertThat(Duration.between(died, events.get(0).getStartedAt())).isLessThan(Duration.ofSeconds(6));
		eventually().until(() -> kafka.isSettled(submitted[0]));
	}

	@Test
	void redeliveredJobLongerThanTheLockDurationKeepsItsCommand() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 5, \"delayMs\": 1000}");

		RecordMetadata[] submitted = new RecordMetadata[1];
		takenByADeadWorker(command, submitted);
		List<JobStatusChanged> events = status.awaitTerminal(command);
		assertThat(events.get(events.size() - 1).getState()).isEqualTo(JobState.SUCCEEDED);
		assertThat(events).allMatch((event) -> event.getAttempt() == 2);
		eventually().until(() -> kafka.isSettled(submitted[0]));
	}

	@Test
	void jobWhoseWorkersKeptDyingFailsOnceItHasNoAttemptsLeftAndIsDeadLettered() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		SubmitJob lastAttempt = SubmitJob.newBuilder(command).setAttempt(3).build();
		takenByADeadWorker(lastAttempt, new RecordMetadata[1]);
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

	/**
	 * Submits the command while this worker takes none; a worker takes it and then dies, and this
	 * worker's slots start again.
	 */
	private void takenByADeadWorker(SubmitJob command, RecordMetadata[] submitted) {
		this.queue.stop();
		try {
			submitted[0] = kafka.submit(command);
			kafka.deadWorkerTook(submitted[0]);
		}
		finally {
			this.queue.start();
		}
	}

}
