package io.inloop.bench.throughput;

import java.util.List;

import io.inloop.bench.client.JobFrame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobStreamAccountingTests {

	private final JobStreamAccounting accounting = new JobStreamAccounting();

	private long clock;

	@Test
	void aCompleteStreamHasNothingToReport() {
		feed("a", "QUEUED", 0, 0);
		feed("a", "RUNNING", 1, 0);
		feed("a", "RUNNING", 1, 1);
		feed("a", "SUCCEEDED", 1, 2);

		JobStreamAccounting.Tally tally = this.accounting.tally(List.of("a"));

		assertThat(tally).isEqualTo(new JobStreamAccounting.Tally(1, 1, 1, 4, 0, 0, 0, 0, 0, 0));
	}

	@Test
	void missingVersionsAreTheGapsOfEachAttemptAndTheFirstOfAnAttemptNeverSeen() {
		feed("gap", "QUEUED", 0, 0);
		feed("gap", "RUNNING", 1, 0);
		feed("gap", "RUNNING", 1, 3);
		feed("gap", "SUCCEEDED", 1, 4);
		feed("retried", "QUEUED", 0, 0);
		feed("retried", "RUNNING", 2, 0);
		feed("retried", "SUCCEEDED", 2, 1);
		feed("whole", "QUEUED", 0, 0);
		feed("whole", "SUCCEEDED", 0, 1);

		assertThat(this.accounting.missingVersions(List.of("gap", "retried", "whole", "never-seen")))
			.containsOnlyKeys("gap", "retried")
			.containsEntry("gap", List.of(JobFrame.version(1, 1), JobFrame.version(1, 2)))
			.containsEntry("retried", List.of(JobFrame.version(1, 0)));
		assertThat(this.accounting.tally(List.of("gap", "retried")).lost()).isEqualTo(3);
	}

	@Test
	void countsAGapADuplicateAndAReorderingEachOnce() {
		// gap: (1,2) never arrives
		feed("gap", "QUEUED", 0, 0);
		feed("gap", "RUNNING", 1, 0);
		feed("gap", "RUNNING", 1, 1);
		feed("gap", "RUNNING", 1, 3);
		feed("gap", "SUCCEEDED", 1, 4);
		// duplicate: (1,1) twice
		feed("dup", "QUEUED", 0, 0);
		feed("dup", "RUNNING", 1, 0);
		feed("dup", "RUNNING", 1, 1);
		feed("dup", "RUNNING", 1, 1);
		feed("dup", "SUCCEEDED", 1, 2);
		// reordering: (1,2) before (1,1)
		feed("reordered", "QUEUED", 0, 0);
		feed("reordered", "RUNNING", 1, 0);
		feed("reordered", "RUNNING", 1, 2);
		feed("reordered", "RUNNING", 1, 1);
		feed("reordered", "SUCCEEDED", 1, 3);

		JobStreamAccounting.Tally tally = this.accounting.tally(List.of("gap", "dup", "reordered"));

		assertThat(tally.jobs()).isEqualTo(3);
		assertThat(tally.finished()).isEqualTo(3);
		assertThat(tally.succeeded()).isEqualTo(3);
		assertThat(tally.frames()).isEqualTo(15);
		assertThat(tally.lost()).isOne();
		assertThat(tally.duplicated()).isOne();
		assertThat(tally.outOfOrder()).isOne();
		assertThat(tally.unfinished()).isZero();
		assertThat(this.accounting.tally(List.of("gap")).lost()).isOne();
		assertThat(this.accounting.tally(List.of("dup")).duplicated()).isOne();
		assertThat(this.accounting.tally(List.of("reordered")).outOfOrder()).isOne();
		assertThat(this.accounting.tally(List.of("reordered")).lost()).isZero();
	}

	@Test
	void aJobWithoutItsTerminalFrameIsUnfinishedAndItsTerminalFrameLost() {
		feed("a", "QUEUED", 0, 0);
		feed("a", "RUNNING", 1, 0);

		JobStreamAccounting.Tally tally = this.accounting.tally(List.of("a"));

		assertThat(tally.unfinished()).isOne();
		assertThat(tally.finished()).isZero();
		assertThat(tally.lost()).isOne();
	}

	@Test
	void aJobOfWhichNothingArrivedLostItsFirstAndItsTerminalFrame() {
		JobStreamAccounting.Tally tally = this.accounting.tally(List.of("never"));

		assertThat(tally.unfinished()).isOne();
		assertThat(tally.lost()).isEqualTo(2);
	}

	@Test
	void anAttemptNeverSeenLostAtLeastOneFrameAndALaterAttemptStartsItsSequenceAgain() {
		feed("a", "QUEUED", 0, 0);
		feed("a", "RUNNING", 2, 0);
		feed("a", "FAILED", 2, 1);

		JobStreamAccounting.Tally tally = this.accounting.tally(List.of("a"));

		assertThat(tally.lost()).isOne();
		assertThat(tally.finished()).isOne();
		assertThat(tally.succeeded()).isZero();
		assertThat(tally.outOfOrder()).isZero();
	}

	@Test
	void framesAfterTheTerminalOneAndOfOtherJobsAreCountedApart() {
		feed("a", "QUEUED", 0, 0);
		feed("a", "RUNNING", 1, 0);
		feed("a", "SUCCEEDED", 1, 1);
		feed("a", "RUNNING", 1, 2);
		feed("older", "SUCCEEDED", 1, 5);

		JobStreamAccounting.Tally tally = this.accounting.tally(List.of("a"));

		assertThat(tally.afterTerminal()).isOne();
		assertThat(tally.foreignFrames()).isOne();
		assertThat(tally.succeeded()).isOne();
	}

	private void feed(String jobId, String state, int attempt, long sequence) {
		this.accounting.record(new JobFrame(jobId, state, JobFrame.version(attempt, sequence), ++this.clock));
	}

}
