package io.inloop.notifier.subscriptions;

import java.util.ArrayDeque;
import java.util.Iterator;

import io.inloop.notifier.delivery.JobFrame;
import org.jspecify.annotations.Nullable;

/**
 * A connection's frames waiting to be sent, at most {@code capacity}. When it is full, a pending
 * frame of the same job is merged into the new one: dropped, and the new one queued last, so the
 * client still sees its jobs' latest snapshots in cursor order. A frame that merges with nothing
 * overflows the queue; nothing is dropped without telling. Empty most of the time, so the deque
 * is allocated only when a frame first waits. Thread-safe.
 */
final class ConflatingQueue {

	/** What {@link #offer} did. */
	enum Offer {

		QUEUED, MERGED, OVERFLOW

	}

	private final int capacity;

	private @Nullable ArrayDeque<JobFrame> frames;

	ConflatingQueue(int capacity) {
		this.capacity = capacity;
	}

	synchronized Offer offer(JobFrame frame) {
		ArrayDeque<JobFrame> pending = this.frames;
		if (pending == null) {
			pending = new ArrayDeque<>(4);
			this.frames = pending;
		}
		if (pending.size() < this.capacity) {
			pending.addLast(frame);
			return Offer.QUEUED;
		}
		for (Iterator<JobFrame> it = pending.iterator(); it.hasNext();) {
			JobFrame waiting = it.next();
			// A terminal frame is the job's last, so it is never the one merged away.
			if (waiting.jobId().equals(frame.jobId()) && !waiting.isTerminal()) {
				it.remove();
				pending.addLast(frame);
				return Offer.MERGED;
			}
		}
		return Offer.OVERFLOW;
	}

	synchronized @Nullable JobFrame poll() {
		return (this.frames != null) ? this.frames.pollFirst() : null;
	}

	synchronized int size() {
		return (this.frames != null) ? this.frames.size() : 0;
	}

	synchronized void clear() {
		this.frames = null;
	}

}
