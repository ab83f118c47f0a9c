package io.inloop.notifier.subscriptions;

import io.inloop.notifier.delivery.Frame;

/**
 * Where a {@link Connection}'s live frames go: its transport. A connection calls it from one
 * thread at a time (whichever drains it: the feed's, the transport's, the sweep's), never
 * concurrently.
 */
public interface FrameSink {

	/** Whether the transport takes one more frame now, without buffering beyond its own limit. */
	boolean ready();

	/** Sends {@code frame}; called only after {@link #ready()} said yes. */
	void send(Frame frame);

	/** The end of a batch of {@link #send}s: writes out what the transport holds. */
	default void flush() {
	}

	/**
	 * Runs {@code drain} (which calls {@link #ready()}, {@link #send} and {@link #flush()}) where the
	 * transport writes best: here by default; an event-loop transport runs it on its event loop,
	 * so that the feed's thread only queues.
	 */
	default void execute(Runnable drain) {
		drain.run();
	}

	/** The server ends the stream with {@code reason}; no frame follows. */
	void close(CloseReason reason);

}
