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
 * A command is the worker's from the share group's delivery until its attempt has started; a worker
 * that dies in between leaves it to the next delivery once its lock runs out. Such a delivery
 * started nothing, so it is not an attempt: the next delivery runs the same one. A worker that dies
 * after the start is the ledger's to notice (its heartbeats stop: {@code JobLeases} in api-service,
 * {@code JobLifecycleIT}).
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
	void commandOfAWorkerThatDiedBeforeItsAttemptStartedRunsThatAttempt() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		RecordMetadata[] submitted = new RecordMetadata[1];
		takenByDeadWorkers(command, submitted, 1);
		Instant died = Instant.now();

		List<JobStatusChanged> events = status.awaitTerminal(command);
		// Attempt 1 from its start to its end, every sequence once (a heartbeat may come between the steps)
		assertThat(events).allMatch((event) -> event.getAttempt() == 1);
		assertThat(events).extracting(JobStatusChanged::getSequence)
			.isEqualTo(java.util.stream.IntStream.range(0, events.size()).boxed().toList());
		assertThat(events.get(0).getState()).isEqualTo(JobState.RUNNING);
		assertThat(events.get(events.size() - 1).getState()).isEqualTo(JobState.SUCCEEDED);
		assertThat(events.get(events.size() - 1).getProgress().getDone()).isEqualTo(2);
		// The dead worker gave it back at once: its delivery is released, not waited out
		assertThat(Duration.between(died, events.get(0).getStartedAt())).isLessThan(Duration.ofSeconds(6));
		eventually().until(() -> kafka.isSettled(submitted[0]));
	}

	@Test
	void commandWhoseDeliveriesKeepEndingBeforeItStartsFailsOnItsLastDeliveryAndIsDeadLettered() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		// The group's delivery limit is inloop.worker.queue.delivery-limit (10): nine deliveries that never started
		RecordMetadata[] submitted = new RecordMetadata[1];
		takenByDeadWorkers(command, submitted, 9);

		assertThat(status.awaitTerminal(command))
			.extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.FAILED, 1, 0));
		assertThat(status.terminalOf(command).getError()).extracting(JobError::getCode).isEqualTo("worker-lost");
		assertDeadLetteredAsWorkerLost(command);
		eventually().until(() -> kafka.isSettled(submitted[0]));
	}

	@Test
	void attemptQueuedPastMaxAttemptsFailsTheJobAndIsDeadLettered() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 2}");

		// What the ledger or a stopping worker queues after attempt 3 of 3 went silent or was handed back
		kafka.submit(SubmitJob.newBuilder(command).setAttempt(4).build());

		assertThat(status.awaitTerminal(command))
			.extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.FAILED, 4, 0));
		assertThat(status.terminalOf(command).getError()).extracting(JobError::getCode).isEqualTo("worker-lost");
		assertDeadLetteredAsWorkerLost(command);
	}

	private static void assertDeadLetteredAsWorkerLost(SubmitJob command) {
		try (TopicReader deadLetters = kafka.reader(Topics.deadLetter(Topics.JOB_COMMANDS))) {
			eventually().until(() -> deadLetters.read(TopicReader.keyed(command.getJobId())), (found) -> !found.isEmpty())
				.forEach((deadLetter) -> assertThat(new String(
						deadLetter.headers().lastHeader(ExecutionConfiguration.ERROR_CODE_HEADER).value(),
						StandardCharsets.UTF_8))
					.isEqualTo("worker-lost"));
		}
	}

	/**
	 * Submits the command while this worker takes none; {@code times} workers take it and die before
	 * they start it, and this worker's slots start again.
	 */
	private void takenByDeadWorkers(SubmitJob command, RecordMetadata[] submitted, int times) {
		this.queue.stop();
		try {
			submitted[0] = kafka.submit(command);
			kafka.deadWorkersTook(submitted[0], times);
		}
		finally {
			this.queue.start();
		}
	}

}
