package io.inloop.worker.handler;

/**
 * Why an attempt of a job failed, as data its owner can read.
 *
 * @param code stable machine-readable code, e.g. {@value #HANDLER_ERROR}
 * @param message human-readable message, shown to the job's owner
 * @param retryable whether another attempt could succeed (a transient cause), as opposed to a
 * permanent one such as an invalid payload
 */
public record JobFailure(String code, String message, boolean retryable) {

	/** The handler threw an exception that did not say otherwise. */
	public static final String HANDLER_ERROR = "handler-error";

	/** The payload could not be bound to the handler's payload type or was rejected by it. */
	public static final String INVALID_PAYLOAD = "invalid-payload";

	/** No handler runs the job's type. */
	public static final String UNKNOWN_TYPE = "unknown-type";

	/** The handler's result could not be written as JSON. */
	public static final String INVALID_RESULT = "invalid-result";

	/** The attempt ran past the job's timeout. */
	public static final String TIMEOUT = "timeout";

	/** Workers stopped (crashed or were killed) while running the job more often than it may be attempted. */
	public static final String WORKER_LOST = "worker-lost";

	/** The job's command could not be read (written with a schema this worker does not know, or corrupt). */
	public static final String UNREADABLE_COMMAND = "unreadable-command";

	public JobFailure {
		// Plain Java: handler authors need nothing but this module
		if (code == null || code.isBlank()) {
			throw new IllegalArgumentException("'code' must not be empty");
		}
	}

	/** A permanent failure: another attempt would fail the same way. */
	public static JobFailure permanent(String code, String message) {
		return new JobFailure(code, message, false);
	}

	/** A transient failure: another attempt may succeed. */
	public static JobFailure retryable(String code, String message) {
		return new JobFailure(code, message, true);
	}

}
