package io.inloop.cli.deadletters;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.inloop.schemas.JobIds;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;

/**
 * A dead-lettered job run again as a new job of the same owner that points to the old one: the
 * old job ended (FAILED is final), so a rerun under its id would be dropped by every reader, and
 * its owner would never hear of it. The new job starts {@code QUEUED} like any submission.
 * @param command the new job's command: a new id, attempt 1, at once
 * @param queued its first snapshot, for its owner
 */
record Resubmission(SubmitJob command, JobStatusChanged queued) {

	static Resubmission of(SubmitJob deadLettered, Instant now) {
		String previous = deadLettered.getJobId();
		SubmitJob command = SubmitJob.newBuilder(deadLettered)
			.setJobId(JobIds.next())
			.setSubmittedAt(now.truncatedTo(ChronoUnit.MILLIS))
			.setAttempt(1)
			.setNotBefore(null)
			.setResubmitOf(previous)
			.build();
		return new Resubmission(command, JobSnapshots.queued(command, "Resubmitted from job " + previous));
	}

}
