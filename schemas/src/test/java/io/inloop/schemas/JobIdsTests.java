package io.inloop.schemas;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobIdsTests {

	@Test
	void anIdempotencyKeyGivesTheSameIdEveryTimeForTheSameOwnerAndSubmitter() {
		assertThat(JobIds.forIdempotencyKey("alice", "billing", "invoice-7"))
			.isEqualTo(JobIds.forIdempotencyKey("alice", "billing", "invoice-7"));
		assertThat(UUID.fromString(JobIds.forIdempotencyKey("alice", "billing", "invoice-7")).version()).isEqualTo(8);
	}

	@Test
	void aLaterTryOfAKeyHasAnIdOfItsOwnTheSameEveryTime() {
		assertThat(JobIds.forIdempotencyKey("alice", "billing", "invoice-7", 0))
			.isEqualTo(JobIds.forIdempotencyKey("alice", "billing", "invoice-7"));
		assertThat(JobIds.forIdempotencyKey("alice", "billing", "invoice-7", 1))
			.isEqualTo(JobIds.forIdempotencyKey("alice", "billing", "invoice-7", 1))
			.isNotEqualTo(JobIds.forIdempotencyKey("alice", "billing", "invoice-7"))
			.isNotEqualTo(JobIds.forIdempotencyKey("alice", "billing", "invoice-7", 2));
	}

	@Test
	void anOwnerSubmittingForThemselvesKeepsTheIdsOfBefore() {
		assertThat(JobIds.forIdempotencyKey("alice", "alice", "invoice-7"))
			.isEqualTo(JobIds.forIdempotencyKey("alice", "invoice-7"));
	}

	@Test
	void keysAreApartPerOwnerAndPerSubmitter() {
		List<String> ids = List.of(JobIds.forIdempotencyKey("alice", "invoice-7"),
				JobIds.forIdempotencyKey("alice", "billing", "invoice-7"),
				JobIds.forIdempotencyKey("alice", "reports", "invoice-7"),
				JobIds.forIdempotencyKey("bob", "billing", "invoice-7"),
				// The same characters split differently between the names
				JobIds.forIdempotencyKey("alice", "billin", "ginvoice-7"),
				JobIds.forIdempotencyKey("alicebilling", "invoice-7"));
		assertThat(ids).doesNotHaveDuplicates();
	}

}
