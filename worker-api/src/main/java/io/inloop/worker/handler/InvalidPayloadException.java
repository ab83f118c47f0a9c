package io.inloop.worker.handler;

/** The payload is not acceptable: a permanent {@link JobFailure#INVALID_PAYLOAD} failure. */
public class InvalidPayloadException extends JobFailedException {

	public InvalidPayloadException(String message) {
		super(JobFailure.permanent(JobFailure.INVALID_PAYLOAD, message));
	}

}
