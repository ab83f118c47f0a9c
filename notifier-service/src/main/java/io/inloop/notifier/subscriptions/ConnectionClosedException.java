package io.inloop.notifier.subscriptions;

/** Ends a connection's stream of frames; the transport closes the connection for {@link #reason()}. */
public class ConnectionClosedException extends RuntimeException {

	private final CloseReason reason;

	public ConnectionClosedException(CloseReason reason) {
		super(reason.text(), null, false, false);
		this.reason = reason;
	}

	public CloseReason reason() {
		return this.reason;
	}

}
