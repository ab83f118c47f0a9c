package io.inloop.notifier.delivery;

/** Receives every frame of the status feed, on the feed's one thread, in topic order per partition. */
@FunctionalInterface
public interface JobFrameListener {

	/** Must not block: the whole feed waits for it. */
	void on(JobFrame frame);

	/**
	 * The latest snapshot of a job under way, known before the feed starts (from
	 * {@code inloop.open-jobs}): for the snapshots a first connection gets, not a frame to deliver.
	 * Called before any {@link #on(JobFrame)}; a frame of the same job the feed reads later
	 * supersedes it as any newer frame does.
	 */
	default void snapshot(JobFrame frame) {
	}

	/**
	 * The feed reads {@code partition} from {@code offset} on; called once per partition when it is
	 * first assigned, before any of its frames.
	 */
	default void positioned(int partition, int partitions, long offset) {
	}

}
