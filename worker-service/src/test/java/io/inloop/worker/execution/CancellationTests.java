package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.StatusEvents;
import io.inloop.worker.WorkerApplication;
import io.inloop.worker.WorkerTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.inloop.worker.KafkaTestClient.command;
import static io.inloop.worker.StatusEvents.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@WorkerTest
class CancellationTests {

	private static KafkaTestClient kafka;

	private static StatusEvents status;

	@Autowired
	Cancellations cancellations;

	@Autowired
	@Qualifier("controlReader")
	HealthIndicator controlReader;

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
	void runningJobEndsCancelledWithinASecondOfItsCancellation() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 100, \"delayMs\": 100}");
		RecordMetadata submitted = kafka.submit(command);
		eventually().until(() -> status.of(command).size() >= 3);

		Instant cancelledAt = Instant.now();
		kafka.cancel(command);
		List<JobStatusChanged> events = status.awaitTerminal(command);

		JobStatusChanged cancelled = events.get(events.size() - 1);
		assertThat(cancelled.getState()).isEqualTo(JobState.CANCELLED);
		assertThat(Duration.between(cancelledAt, cancelled.getUpdatedAt())).isLessThan(Duration.ofSeconds(1));
		assertThat(cancelled.getAttempt()).isEqualTo(1);
		assertThat(cancelled.getSequence()).isEqualTo(events.size() - 1);
		assertThat(cancelled.getFinishedAt()).isNotNull();
		assertThat(cancelled.getProgress().getDone()).isLessThan(100);
		eventually().until(() -> kafka.isSettled(submitted));
	}

	@Test
	void controlReaderIsUpOnceCaughtUpAndSaysWhatItRemembers() {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		kafka.cancel(command);
		eventually().until(() -> this.cancellations.isCancelled(command.getJobId()));

		eventually().untilAsserted(() -> {
			Health health = this.controlReader.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("topic", Topics.JOB_CONTROL)
				.containsEntry("unread", 0L)
				.containsEntry("forgottenEarly", 0L)
				.hasEntrySatisfying("remembered", (remembered) -> assertThat((Integer) remembered).isPositive());
		});
	}

	@Test
	void aWorkerStartedAfterACancellationStillKnowsIt() {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		kafka.cancel(command);
		eventually().until(() -> this.cancellations.isCancelled(command.getJobId()));

		try (ConfigurableApplicationContext late = new SpringApplicationBuilder(WorkerApplication.class)
			// Arguments, not default properties: those would lose to application.yml's fixed port.
			.run("--spring.kafka.bootstrap-servers=" + System.getProperty("spring.embedded.kafka.brokers"),
					"--server.port=0", "--inloop.security.jwt.public-key-location=classpath:test-jwt-public.pem",
					// Only its cancellation reader matters here: it takes no jobs
					"--inloop.worker.queue.auto-startup=false")) {
			Cancellations lateCancellations = late.getBean(Cancellations.class);
			eventually().until(() -> lateCancellations.isCancelled(command.getJobId()));
		}
	}

	@Test
	void commandOfAJobCancelledBeforeItRanNeverRuns() throws Exception {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		kafka.cancel(command);
		eventually().until(() -> this.cancellations.isCancelled(command.getJobId()));

		RecordMetadata submitted = kafka.submit(command);

		assertThat(status.awaitTerminal(command))
			.extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt, JobStatusChanged::getSequence)
			.containsExactly(tuple(JobState.CANCELLED, 1, 0));
		assertThat(status.terminalOf(command).getStartedAt()).isNull();
		assertThat(status.terminalOf(command).getFinishedAt()).isNotNull();
		eventually().until(() -> kafka.isSettled(submitted));
	}

	@Test
	void jobCancelledWhileItsRetryWaitsLongerThanCancellationsUsedToBeRememberedIsNotRun() {
		SubmitJob command = command("demo.steps", "{\"steps\": 1}");
		kafka.cancel(command);
		eventually().until(() -> this.cancellations.isCancelled(command.getJobId()));
		// Its next attempt waits 3 s, as a worker schedules it after a failed attempt: longer than remember (1 s)
		Instant notBefore = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
		SubmitJob retry = SubmitJob.newBuilder(command).setAttempt(2).setNotBefore(notBefore).build();
		kafka.send(Topics.JOB_RETRIES, command.getJobId(),
				new AvroSerializer<>(SubmitJob.class).serialize(Topics.JOB_RETRIES, retry));

		assertThat(status.awaitTerminal(command))
			.extracting(JobStatusChanged::getState, JobStatusChanged::getAttempt)
			.containsExactly(tuple(JobState.CANCELLED, 2));
		JobStatusChanged cancelled = status.terminalOf(command);
		assertThat(cancelled.getStartedAt()).as("never started").isNull();
		assertThat(cancelled.getUpdatedAt()).isAfterOrEqualTo(notBefore);
	}

	@Test
	void jobCancelledWhileItWaitsForItsNextAttemptIsNotAttemptedAgain() {
		SubmitJob command = command("demo.flaky", "{\"failures\": 10}");
		command.setMaxAttempts(10);
		kafka.submit(command);
		eventually().until(() -> status.of(command).stream().anyMatch((event) -> event.getState() == JobState.RETRYING));

		kafka.cancel(command);

		List<JobStatusChanged> events = status.awaitTerminal(command);
		JobStatusChanged cancelled = events.get(events.size() - 1);
		assertThat(cancelled.getState()).isEqualTo(JobState.CANCELLED);
		assertThat(events).extracting(JobLifecycle::version).isSorted();
		// Nine back-offs of at least 80 ms each would have passed before the tenth attempt
		assertThat(events).filteredOn((event) -> event.getState() == JobState.RUNNING).hasSizeLessThan(10);
	}

}
