package io.inloop.bench.fanout;

import java.util.concurrent.TimeUnit;

import io.inloop.bench.client.JobFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FanOutAccountingTests {

	/** nanoTime 1,000,000,000 is epoch 1,700,000,000,000 ms on this accounting's clock. */
	private static final long BASE_NANOS = 1_000_000_000L;

	private static final long BASE_MILLIS = 1_700_000_000_000L;

	private final FanOutAccounting accounting = new FanOutAccounting(BASE_NANOS, BASE_MILLIS * 1000, BASE_MILLIS + 1000);

	@Test
	void convertsNanoTimeToTheWallClockOfItsBase() {
		assertThat(this.accounting.epochMillis(BASE_NANOS)).isEqualTo(BASE_MILLIS);
		assertThat(this.accounting.epochMicros(BASE_NANOS + 1_500_000)).isEqualTo(BASE_MILLIS * 1000 + 1500);
		assertThat(this.accounting.epochMillis(BASE_NANOS - 1)).isEqualTo(BASE_MILLIS - 1);
	}

	@Test
	void aStreamReceivedWholeLosesNothing() {
		FanOutAccounting.Job job = this.accounting.register("a", false);
		for (int i = 0; i < 4; i++) {
			this.accounting.received(frame("a", job.send(i == 3), i == 3, 0, -1));
		}

		FanOutAccounting.Tally tally = this.accounting.tally(false);

		assertThat(tally).isEqualTo(new FanOutAccounting.Tally(1, 4, 4, 0, 0, 0, 0));
	}

	@Test
	void countsGapsMissingTailsAndFramesThatDoNotAdvance() {
		FanOutAccounting.Job job = this.accounting.register("a", false);
		for (int i = 0; i < 6; i++) {
			job.send(i == 5);
		}
		// 0, 2, 2 (duplicate), 1 (out of order), 3; 4 and the terminal 5 never come.
		for (int sequence : new int[] { 0, 2, 2, 1, 3 }) {
			this.accounting.received(frame("a", sequence, false, 0, -1));
		}

		FanOutAccounting.Tally tally = this.accounting.tally(false);

		assertThat(tally.sent()).isEqualTo(6);
		assertThat(tally.frames()).isEqualTo(5);
		assertThat(tally.stale()).isEqualTo(2);
		assertThat(tally.gaps()).isEqualTo(1);
		// 1 arrived late but did arrive: the lost ones are 4 and 5 ... and 1 counted once as a gap, once as stale.
		assertThat(tally.lost()).isEqualTo(6 - 3);
		assertThat(tally.terminalsMissing()).isEqualTo(1);
	}

	@Test
	void keepsSlowAndReadingClientsApartAndCountsFramesOfUnknownJobs() {
		FanOutAccounting.Job fast = this.accounting.register("fast", false);
		FanOutAccounting.Job slow = this.accounting.register("slow", true);
		fast.send(false);
		slow.send(false);
		slow.send(false);
		this.accounting.received(frame("slow", 1, false, 0, -1));
		this.accounting.received(frame("other", 0, false, 0, -1));

		assertThat(this.accounting.tally(false)).isEqualTo(new FanOutAccounting.Tally(1, 1, 0, 1, 0, 0, 0));
		assertThat(this.accounting.tally(true)).isEqualTo(new FanOutAccounting.Tally(1, 2, 1, 1, 1, 0, 0));
		assertThat(this.accounting.foreignFrames()).isEqualTo(1);
	}

	@Test
	void lagIsArrivalLessUpdatedAtAfterTheWarmUp() {
		this.accounting.register("a", false);
		this.accounting.register("s", true);
		// Sent during the warm-up: not in the lag.
		this.accounting.received(frame("a", 0, false, TimeUnit.MILLISECONDS.toNanos(900), BASE_MILLIS + 500));
		// Sent at +2000 ms, arrived at +2012.5 ms.
		this.accounting.received(frame("a", 1, false, TimeUnit.MICROSECONDS.toNanos(2_012_500), BASE_MILLIS + 2000));
		this.accounting.received(frame("s", 0, false, TimeUnit.MILLISECONDS.toNanos(5000), BASE_MILLIS + 2000));
		// A frame without updatedAt: counted, no lag.
		this.accounting.received(frame("a", 2, false, TimeUnit.MILLISECONDS.toNanos(5000), -1));

		assertThat(this.accounting.fastLag().getTotalCount()).isEqualTo(1);
		assertThat(this.accounting.fastLag().getMaxValue()).isBetween(12_490L, 12_510L);
		assertThat(this.accounting.slowLag().getTotalCount()).isEqualTo(1);
		assertThat(this.accounting.slowLag().getMaxValue()).isBetween(2_999_000L, 3_001_000L);
		assertThat(this.accounting.tally(false).frames()).isEqualTo(3);
	}

	private static JobFrame frame(String job, int sequence, boolean terminal, long sinceBaseNanos, long updatedAt) {
		return new JobFrame(job, terminal ? "SUCCEEDED" : "RUNNING", JobFrame.version(1, sequence),
				BASE_NANOS + sinceBaseNanos, updatedAt);
	}

}
