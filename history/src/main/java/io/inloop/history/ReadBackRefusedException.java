package io.inloop.history;

import java.time.Duration;

/**
 * A read-back that {@link ReadBacks} did not start or did not finish: the caller gets a clear
 * refusal (docs/protocol.md), never a half-read history presented as whole.
 */
public class ReadBackRefusedException extends RuntimeException {

	/** Why; {@link #TOO_LARGE} is the only one that retrying does not help. */
	public enum Reason {

		/** The user has as many read-backs under way as allowed. */
		USER_BUSY,

		/** The instance has as many read-backs under way as allowed. */
		INSTANCE_BUSY,

		/** The range spans more records than one read-back may ({@link ReadBackLimits#maxRecords()}). */
		TOO_LARGE,

		/** The read-back took longer than allowed ({@link ReadBackLimits#maxDuration()}). */
		TOO_LONG

	}

	private final Reason reason;

	private final Duration retryAfter;

	public ReadBackRefusedException(Reason reason, String message, Duration retryAfter) {
		super(message, null, false, false);
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	public Reason reason() {
		return this.reason;
	}

	/** How long to wait before asking again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
