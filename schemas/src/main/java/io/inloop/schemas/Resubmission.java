package io.inloop.schemas;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.inloop.schemas.serde.TrustedTypes;

/**
 * A failed or dead-lettered job run again as a new job of the same owner that points to the old
 * one: the old job ended (FAILED is final), so a rerun under its id would be dropped by every
 * reader, and its owner would never hear of it. The new job starts {@code QUEUED} like any
 * submission. Used by {@code inloop dlt resubmit} and by the API's admin retry.
 * @param command the new job's command: a new id, attempt 1, at once
 * @param queued its first snapshot, for its owner
 */
public record Resubmission(SubmitJob command, JobStatusChanged queued) {

	static {
		// Copying a command into a builder instantiates its nested records through Avro's class checks
		TrustedTypes.register();
	}

	/** A re-submission of {@code earlier} under a new id. */
	public static Resubmission of(SubmitJob earlier, Instant now) {
		return of(earlier, JobIds.next(), now);
	}

	/** A re-submission of {@code earlier} as job {@code jobId}. */
	public static Resubmission of(SubmitJob earlier, String jobId, Instant now) {
		String previous = earlier.getJobId();
		SubmitJob command = SubmitJob.newBuilder(earlier)
			.setJobId(jobId)
			.setSubmittedAt(now.truncatedTo(ChronoUnit.MILLIS))
			.setAttempt(1)
			.setNotBefore(null)
			.setResubmitOf(previous)
			.build();
		return new Resubmission(command, JobSnapshots.queued(command, "Resubmitted from job " + previous));
	}

}
