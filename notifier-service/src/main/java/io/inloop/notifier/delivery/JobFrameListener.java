package io.inloop.notifier.delivery;

/** Receives every frame of the status feed, on the feed's one thread, in topic order per partition. */
@FunctionalInterface
public interface JobFrameListener {

	/** Must not block: the whole feed waits for it. */
	void on(JobFrame frame);

}
