package io.inloop.worker.execution;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptsTests {

	@Test
	void readsTheAttemptMarkOfACommittedOffset() {
		assertThat(Attempts.attemptIn(new OffsetAndMetadata(7, Attempts.metadata(3)))).isEqualTo(3);
	}

	@Test
	void offsetWithoutAMarkHasNoAttemptStarted() {
		assertThat(Attempts.attemptIn(new OffsetAndMetadata(7))).isZero();
		assertThat(Attempts.attemptIn(new OffsetAndMetadata(7, "something else"))).isZero();
	}

}
