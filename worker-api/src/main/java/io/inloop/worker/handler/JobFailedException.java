package io.inloop.worker.handler;

import org.jspecify.annotations.Nullable;

/**
 * Ends an attempt with a specific {@link JobFailure}. Throw it from a handler to choose the code
 * and whether the failure is retryable; any other exception is a retryable
 * {@link JobFailure#HANDLER_ERROR}.
 */
public class JobFailedException extends RuntimeException {

	private final JobFailure failure;

	public JobFailedException(JobFailure failure) {
		this(failure, null);
	}

	public JobFailedException(JobFailure failure, @Nullable Throwable cause) {
		super(failure.message(), cause);
		this.failure = failure;
	}

	public JobFailure failure() {
		return this.failure;
	}

}
