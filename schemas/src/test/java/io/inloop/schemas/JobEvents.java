package io.inloop.schemas;

import java.time.Instant;

/** Test builder for status snapshots. */
public final class JobEvents {

	private JobEvents() {
	}

	public static JobStatusChanged.Builder aSnapshot(String jobId, JobState state, int attempt, int sequence) {
		Instant at = Instant.parse("2026-11-27T10:15:30.123Z");
		return JobStatusChanged.newBuilder()
			.setJobId(jobId)
			.setOwner("alice")
			.setType("demo.steps")
			.setState(state)
			.setProgress(new JobProgress(2L, 5L))
			.setMessage("step 2 of 5")
			.setAttempt(attempt)
			.setSequence(sequence)
			.setSubmittedAt(at)
			.setUpdatedAt(at.plusMillis(40));
	}

}
