package io.inloop.worker.execution;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.inloop.schemas.SubmitJob;

import static io.inloop.worker.KafkaTestClient.command;
import static org.assertj.core.api.Assertions.assertThat;

class JobSlotTests {

	@Test
	void firstDeliveryOfASubmittedCommandRunsTheFirstAttempt() {
		assertThat(JobSlot.attemptOf(command("demo.steps", "{}"), delivered(1))).isEqualTo(1);
	}

	@Test
	void everyEarlierDeliveryCountsAsAnAttemptThatDidNotEnd() {
		assertThat(JobSlot.attemptOf(command("demo.steps", "{}"), delivered(3))).isEqualTo(3);
	}

	@Test
	void retryCommandCarriesItsAttemptAndRedeliveriesAddToIt() {
		SubmitJob retry = SubmitJob.newBuilder(command("demo.steps", "{}")).setAttempt(2).build();
		assertThat(JobSlot.attemptOf(retry, delivered(1))).isEqualTo(2);
		assertThat(JobSlot.attemptOf(retry, delivered(2))).isEqualTo(3);
	}

	private static ConsumerRecord<String, byte[]> delivered(int times) {
		return new ConsumerRecord<>("inloop.job-commands", 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, "job", new byte[0],
				new RecordHeaders(), Optional.empty(), Optional.of((short) times));
	}

}
