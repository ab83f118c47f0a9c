package io.inloop.notifier.subscriptions;

import io.inloop.notifier.delivery.JobFrame;

/** One client's live stream of its owner's frames, whatever the transport. */
public interface Connection {

	/** The JWT subject the connection authenticated as; it receives that user's jobs only. */
	String owner();

	/**
	 * Queues the frame without blocking; called on the feed's thread. A connection that cannot
	 * keep up closes itself rather than slow anyone else down.
	 */
	void send(JobFrame frame);

	/** Closes the connection because this process is shutting down; the client reconnects elsewhere. */
	void shutDown();

}
