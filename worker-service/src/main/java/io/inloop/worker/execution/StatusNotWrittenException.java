package io.inloop.worker.execution;

import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;

/**
 * The outcome of a job could not be recorded on the status topic (or the worker was interrupted
 * before it was), so its command stays uncommitted and runs again.
 */
class StatusNotWrittenException extends RuntimeException {

	StatusNotWrittenException(SubmitJob command, @Nullable Throwable cause) {
		super("The outcome of job " + command.getJobId() + " was not written; it will run again", cause);
	}

}
