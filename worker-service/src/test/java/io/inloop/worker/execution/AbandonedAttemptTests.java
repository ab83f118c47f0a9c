package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.worker.KafkaTestClient;
import io.inloop.worker.StatusEvents;
import io.inloop.worker.WorkerTest;

import org.springframework.beans.factory.annotation.Autowired;

import static io.inloop.worker.KafkaTestClient.command;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt whose lease the ledger fenced (its heartbeats stopped, and the next attempt was
 * queued) stops when its worker hears of the fence on the control topic, and writes nothing more;
 * a later attempt of the same job, which may run on the same worker, goes on to its end.
 */
@WorkerTest
class AbandonedAttemptTests {

	private static KafkaTestClient kafka;

	private static StatusEvents status;

	@Autowired
	private JobRunner runner;

	@Autowired
	private JobTracing tracing;

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
	void aFencedAttemptStopsAndWritesNothingMoreWhileTheNextAttemptOfTheSameJobRunsToItsEnd() {
		SubmitJob command = command("demo.steps", "{\"steps\": 20, \"delayMs\": 250}");
		command.setMaxAttempts(5);
		Attempt fenced = this.runner.start(command, 2, this.tracing.attemptOf(new RecordHeaders()), delivered(command));
		Attempt next = this.runner.start(command, 3, this.tracing.attemptOf(new RecordHeaders()), delivered(command));
		assertThat(fenced.acknowledgement()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(AcknowledgeType.ACCEPT);

		kafka.send(Topics.JOB_CONTROL, command.getJobId(), new AvroSerializer<>(CancelJob.class).serialize(
				Topics.JOB_CONTROL, new CancelJob(command.getJobId(), command.getOwner(),
						Instant.now().truncatedTo(ChronoUnit.MILLIS), 2)));

		assertThat(fenced.over()).succeedsWithin(Duration.ofSeconds(10));
		assertThat(next.over()).succeedsWithin(Duration.ofSeconds(20));
		List<JobStatusChanged> events = status.awaitTerminal(command);
		assertThat(events.get(events.size() - 1)).satisfies((end) -> {
			assertThat(end.getState()).isEqualTo(JobState.SUCCEEDED);
			assertThat(end.getAttempt()).isEqualTo(3);
		});
		assertThat(events).filteredOn((event) -> event.getAttempt() == 2)
			.as("attempt 2 writes no end and stops reporting before its steps are done")
			.noneMatch((event) -> event.getState() != JobState.RUNNING)
			.noneMatch((event) -> event.getProgress().getDone() == 20);
	}

	private static ConsumerRecord<String, byte[]> delivered(SubmitJob command) {
		return new ConsumerRecord<>(Topics.JOB_COMMANDS, 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, command.getJobId(),
				new byte[0], new RecordHeaders(), Optional.empty(), Optional.of((short) 1));
	}

}
