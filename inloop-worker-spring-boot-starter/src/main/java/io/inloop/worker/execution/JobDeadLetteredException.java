package io.inloop.worker.execution;

import io.inloop.worker.handler.JobFailure;

/**
 * Why a command went to the dead-letter topic: its message and the job's error code are the dead
 * letter's headers, which {@code inloop dlt list} shows.
 */
class JobDeadLetteredException extends RuntimeException {

	private final JobFailure failure;

	JobDeadLetteredException(JobFailure failure) {
		super(failure.message(), null, false, false);
		this.failure = failure;
	}

	JobFailure failure() {
		return this.failure;
	}

}
