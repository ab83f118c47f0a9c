package io.inloop.schemas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every writer's snapshot, as {@link JobSnapshots} builds it, is accepted after its predecessor. */
class JobSnapshotsTests {

	private static final Instant SUBMITTED = Instant.parse("2026-12-02T10:00:00.000Z");

	private final SubmitJob command = SubmitJob.newBuilder()
		.setJobId("j-1")
		.setOwner("alice")
		.setType("demo.steps")
		.setPayload("{}")
		.setSubmittedAt(SUBMITTED)
		.build();

	private final JobStatusChanged queued = JobSnapshots.queued(this.command, "Waiting for a worker");

	@Test
	void aJobsWholeLifeIsAcceptedStepByStep() {
		JobStatusChanged running = JobSnapshots.firstOf(this.command, 1, JobState.RUNNING, at(1)).build();
		JobStatusChanged progress = JobSnapshots.next(running, JobState.RUNNING, at(2))
			.setProgress(new JobProgress(1L, 2L))
			.build();
		JobStatusChanged retrying = JobSnapshots.next(progress, JobState.RETRYING, at(3))
			.setNextAttemptAt(at(10))
			.setError(new JobError("handler-error", "Out of disk", true))
			.build();
		JobStatusChanged second = JobSnapshots.firstOf(this.command, 2, JobState.RUNNING, at(10)).build();
		JobStatusChanged succeeded = JobSnapshots.next(second, JobState.SUCCEEDED, at(11)).setResult("{}").build();

		assertEachAccepted(this.queued, running, progress, retrying, second, succeeded);
		assertThat(succeeded.getFinishedAt()).isEqualTo(at(11));
		assertThat(succeeded.getNextAttemptAt()).isNull();
		assertThat(succeeded.getStartedAt()).isEqualTo(at(10));
	}

	@Test
	void theApiEndsAQueuedJob() {
		assertEachAccepted(this.queued, JobSnapshots.next(this.queued, JobState.CANCELLED, at(1)).build());
		assertEachAccepted(this.queued, JobSnapshots.notSubmitted(this.queued, at(1)));
	}

	@Test
	void theWorkersNextSnapshotOutranksAStallReport() {
		JobStatusChanged running = JobSnapshots.firstOf(this.command, 1, JobState.RUNNING, at(1)).build();
		JobStatusChanged stalled = JobSnapshots.stalled(running, "The worker stopped responding", at(30));
		JobStatusChanged progress = JobSnapshots.next(running, JobState.RUNNING, at(31)).build();
		JobStatusChanged succeeded = JobSnapshots.next(progress, JobState.SUCCEEDED, at(32)).build();

		assertEachAccepted(this.queued, running, stalled, progress, succeeded);
		// The worker's terminal snapshot right after the stall: the job's real end, not STALLED forever
		assertEachAccepted(running, stalled, JobSnapshots.next(running, JobState.SUCCEEDED, at(31)).build());
		// A stall report that arrives after the worker's next snapshot is stale
		assertThat(JobLifecycle.move(progress, stalled)).isEqualTo(JobLifecycle.Move.STALE);
		// And the next attempt outranks a stall of the one before
		assertEachAccepted(stalled, JobSnapshots.firstOf(this.command, 2, JobState.RUNNING, at(40)).build());
	}

	@Test
	void aLeaseFenceOutranksWhateverTheSilentAttemptStillWritesAndTheNextAttemptOutranksTheFence() {
		JobStatusChanged running = JobSnapshots.firstOf(this.command, 1, JobState.RUNNING, at(1)).build();
		JobStatusChanged stalled = JobSnapshots.stalled(running, "silent", at(20));
		JobStatusChanged fence = JobSnapshots.leaseLost(stalled, true, "attempt 2 is queued", at(40));
		assertThat(fence.getState()).isEqualTo(JobState.RETRYING);
		assertThat(fence.getError().getCode()).isEqualTo(JobSnapshots.WORKER_LOST);
		assertThat(fence.getNextAttemptAt()).isEqualTo(at(40));
		assertEachAccepted(this.queued, running, stalled, fence, JobSnapshots.firstOf(this.command, 2, JobState.RUNNING, at(41)).build());

		// The silent attempt's worker comes back after the fence: however far it got, it is stale
		JobStatusChanged late = JobSnapshots.firstOf(this.command, 1, JobState.SUCCEEDED, at(50))
			.setSequence(JobLifecycle.LAST_SEQUENCE - 1)
			.build();
		assertThat(JobLifecycle.move(fence, late)).isEqualTo(JobLifecycle.Move.STALE);

		// With no attempt left the fence ends the job
		JobStatusChanged failed = JobSnapshots.leaseLost(stalled, false, "no attempt left", at(40));
		assertThat(failed.getState()).isEqualTo(JobState.FAILED);
		assertThat(failed.getFinishedAt()).isEqualTo(at(40));
		assertEachAccepted(stalled, failed);
		assertThat(JobLifecycle.move(failed, JobSnapshots.firstOf(this.command, 2, JobState.RUNNING, at(41)).build()))
			.isEqualTo(JobLifecycle.Move.AFTER_TERMINAL);
	}

	@Test
	void aReportSitsBetweenTheSnapshotItObservedAndTheNextEvenAtTheLastSequence() {
		JobStatusChanged last = JobSnapshots.firstOf(this.command, 1, JobState.RUNNING, at(1)).setSequence(Integer.MAX_VALUE).build();
		JobStatusChanged stalled = JobSnapshots.stalled(last, "silent", at(2));
		assertEachAccepted(last, stalled, JobSnapshots.firstOf(this.command, 2, JobState.RUNNING, at(3)).build());
	}

	@Test
	void anAttemptThatNeverStartsEndsAtItsFirstSnapshot() {
		JobStatusChanged cancelled = JobSnapshots.firstOf(this.command, 1, JobState.CANCELLED, at(1)).build();
		assertEachAccepted(this.queued, cancelled);
		assertThat(cancelled.getStartedAt()).isNull();
		assertThat(cancelled.getFinishedAt()).isEqualTo(at(1));
	}

	@Test
	void onlyARunningJobStallsAndAttemptsCountFromOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> JobSnapshots.stalled(this.queued, "silent", at(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> JobSnapshots.firstOf(this.command, 0, JobState.RUNNING, at(1)));
	}

	private static void assertEachAccepted(JobStatusChanged... snapshots) {
		List<JobLifecycle.Move> moves = new ArrayList<>();
		for (int i = 1; i < snapshots.length; i++) {
			moves.add(JobLifecycle.move(snapshots[i - 1], snapshots[i]));
		}
		assertThat(moves).containsOnly(JobLifecycle.Move.ACCEPTED);
	}

	private static Instant at(int seconds) {
		return SUBMITTED.plusSeconds(seconds);
	}

}
