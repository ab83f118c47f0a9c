package io.inloop.worker.execution;

import io.inloop.schemas.SubmitJob;
import io.inloop.worker.handler.JobFailure;

/**
 * The last attempt a job may have failed with a retryable error and its {@code FAILED} snapshot
 * is written: the command goes to the dead-letter topic, with the failure in its headers.
 */
class AttemptsExhaustedException extends RuntimeException {

	private final JobFailure failure;

	AttemptsExhaustedException(SubmitJob command, int attempts, JobFailure failure) {
		super("Job " + command.getJobId() + " failed " + attempts + " time(s), the last with " + failure.code() + ": "
				+ failure.message());
		this.failure = failure;
	}

	JobFailure failure() {
		return this.failure;
	}

}
