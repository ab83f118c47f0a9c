package io.inloop.worker.execution;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker never takes more commands than it has free slots, and fills its last free slots one at a time. */
class SlotsTests {

	@Test
	void aReservationWaitsUntilThatManySlotsAreFree() throws Exception {
		Slots slots = new Slots(4);
		assertThat(slots.reserve(3, Duration.ZERO)).isTrue();
		assertThat(slots.reserve(2, Duration.ofMillis(50))).as("one slot left").isFalse();
		assertThat(slots.busy()).isEqualTo(3);

		CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return slots.reserve(2, Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		slots.release(1);
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(slots.busy()).isEqualTo(4);
	}

	@Test
	void closingTellsWhoeverWaitsAtOnce() throws Exception {
		Slots slots = new Slots(1);
		slots.reserve(1, Duration.ZERO);
		CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return slots.reserve(1, Duration.ofMinutes(1));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		slots.close();
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
	}

	@Test
	void releasingNeverMakesMoreSlotsThanThereAre() throws Exception {
		Slots slots = new Slots(2);
		slots.release(5);
		assertThat(slots.busy()).isZero();
		assertThat(slots.reserve(3, Duration.ZERO)).isFalse();
	}

	@Test
	void aWorkerFetchesOneCommandForItsLastFreeSlotsAndABatchWhenThereIsRoomForIt() {
		assertThat(JobQueue.fetchSizes(32, 16)).containsExactly(1, 16);
		assertThat(JobQueue.fetchSizes(8, 16)).as("at most half the slots").containsExactly(1, 4);
		assertThat(JobQueue.fetchSizes(2, 16)).containsExactly(1, 1);
		assertThat(JobQueue.fetchSizes(1, 16)).as("one slot: one fetcher").containsExactly(1);
		assertThat(JobQueue.fetchSizes(32, 1)).containsExactly(1, 1);
	}

}
