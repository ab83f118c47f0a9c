package io.inloop.worker.execution;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.SubmitJob;
import io.inloop.worker.WorkerTest;

import org.springframework.beans.factory.annotation.Autowired;

import static io.inloop.worker.KafkaTestClient.command;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slot that loses its command's lock (the broker gave it to another slot, e.g. when the share
 * group's assignment changed) ends its own attempt only: the next attempt of the same job, which
 * may already run on another slot of this worker, goes on to its end.
 */
@WorkerTest
class AbandonedAttemptTests {

	@Autowired
	private JobRunner runner;

	@Autowired
	private JobTracing tracing;

	@Test
	void abandoningAnAttemptLeavesTheNextAttemptOfTheSameJobRunning() {
		SubmitJob command = command("demo.steps", "{\"steps\": 4, \"delayMs\": 250}");
		command.setMaxAttempts(5);
		CompletableFuture<Verdict> lost = this.runner.start(command, 2, this.tracing.attemptOf(new RecordHeaders()));
		CompletableFuture<Verdict> next = this.runner.start(command, 3, this.tracing.attemptOf(new RecordHeaders()));

		this.runner.abandon(command.getJobId(), 2);

		assertThat(lost).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(Verdict.HandBack.class);
		assertThat(next).succeedsWithin(Duration.ofSeconds(20)).isInstanceOf(Verdict.Done.class);
	}

}
