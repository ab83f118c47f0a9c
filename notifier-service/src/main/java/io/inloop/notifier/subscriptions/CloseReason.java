package io.inloop.notifier.subscriptions;

/** Why the server ends a stream, with the close code of docs/protocol.md. */
public enum CloseReason {

	/** The process is shutting down; reconnect (to any instance) with the last cursor. */
	GOING_AWAY(1001, "going away"),

	/** The client fell behind past its queue; reconnect with the last cursor. */
	TOO_SLOW(4008, "too slow"),

	/** The token's {@code exp} has passed; reconnect with a new token and the last cursor. */
	TOKEN_EXPIRED(4001, "token expired"),

	/**
	 * The instance holds as many connections as it takes ({@code inloop.notifier.connections.max}),
	 * or cannot validate tokens now; reconnect with a back-off (to any instance) with the last cursor.
	 */
	TRY_AGAIN_LATER(1013, "try again later"),

	/** The user holds as many connections as allowed. */
	LIMIT_EXCEEDED(4029, "too many connections"),

	/** Reading the history after the cursor back was refused (limits) or took too long; retry later with the last cursor. */
	HISTORY_BUSY(4013, "history busy");

	private final int code;

	private final String text;

	CloseReason(int code, String text) {
		this.code = code;
		this.text = text;
	}

	/** The WebSocket close code; SSE's {@code closed} frame carries the same. */
	public int code() {
		return this.code;
	}

	/** The short reason sent with the close, e.g. {@code "too slow"}. */
	public String text() {
		return this.text;
	}

}
