package io.inloop.worker.execution;

import java.time.Instant;

import io.inloop.schemas.SubmitJob;

/**
 * An attempt failed and its {@code RETRYING} snapshot is written: the error handler seeks back to
 * the command and runs the next attempt at {@link #nextAttemptAt()}, the time the owner was told.
 */
class RetryScheduledException extends RuntimeException {

	private final String jobId;

	private final Instant nextAttemptAt;

	RetryScheduledException(SubmitJob command, Instant nextAttemptAt) {
		super("Job " + command.getJobId() + " will be attempted again at " + nextAttemptAt);
		this.jobId = command.getJobId();
		this.nextAttemptAt = nextAttemptAt;
	}

	String jobId() {
		return this.jobId;
	}

	Instant nextAttemptAt() {
		return this.nextAttemptAt;
	}

}
