package io.inloop.worker.execution;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.StatusEvents;
import io.inloop.worker.WorkerTest;

import static io.inloop.worker.KafkaTestClient.command;
import static org.assertj.core.api.Assertions.assertThat;

/** With a heartbeat interval of 300 ms (see {@link WorkerTest}). */
@WorkerTest
class HeartbeatAndTimeoutTests {

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
	void silentJobSendsHeartbeatsWithItsElapsedTime() {
		SubmitJob command = command("demo.flaky", "{\"delayMs\": 1100}");
		kafka.submit(command);

		List<JobStatusChanged> events = status.awaitTerminal(command);

		List<JobStatusChanged> heartbeats = events.subList(1, events.size() - 1);
		assertThat(heartbeats).hasSizeBetween(2, 4).allSatisfy((heartbeat) -> {
			assertThat(heartbeat.getState()).isEqualTo(JobState.RUNNING);
			assertThat(heartbeat.getAttempt()).isEqualTo(1);
			assertThat(heartbeat.getStartedAt()).isEqualTo(events.get(0).getStartedAt());
		});
		assertThat(events).extracting(JobStatusChanged::getSequence)
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, events.size()).boxed().toList());
		for (int i = 1; i < events.size() - 1; i++) {
			assertThat(Duration.between(events.get(i - 1).getUpdatedAt(), events.get(i).getUpdatedAt()))
				.isGreaterThanOrEqualTo(Duration.ofMillis(300));
		}
		assertThat(events.get(events.size() - 1).getState()).isEqualTo(JobState.SUCCEEDED);
	}

	@Test
	void jobPastItsTimeoutFailsWithTimeoutAndIsNotRetried() {
		SubmitJob command = command("demo.steps", "{\"steps\": 50, \"delayMs\": 100}");
		command.setTimeoutMillis(450L);
		kafka.submit(command);

		List<JobStatusChanged> events = status.awaitTerminal(command);

		JobStatusChanged failed = events.get(events.size() - 1);
		assertThat(failed.getState()).isEqualTo(JobState.FAILED);
		assertThat(failed.getAttempt()).isEqualTo(1);
		assertThat(failed.getError()).extracting(JobError::getCode, JobError::getRetryable).containsExactly("timeout", false);
		assertThat(Duration.between(failed.getStartedAt(), failed.getFinishedAt())).isBetween(Duration.ofMillis(450),
				Duration.ofMillis(1450));
		assertThat(failed.getProgress().getDone()).isBetween(2L, 10L);
	}

}
