package io.inloop.notifier.subscriptions;

import java.util.ArrayList;
import java.util.List;

import io.inloop.notifier.delivery.JobFrame;
import org.jspecify.annotations.Nullable;

/**
 * The latest frames of each partition, a fixed number per partition: the in-memory window that
 * resumes a recent cursor without reading the topic. Each partition's window covers the offsets
 * from {@link #coveredFrom} on: every frame the feed accepted at or after it is here. Not
 * thread-safe: {@link Subscriptions} guards it.
 */
final class RecentFrames {

	private final int capacity;

	private @Nullable Window[] windows = new Window[0];

	RecentFrames(int capacity) {
		this.capacity = capacity;
	}

	/** The feed reads {@code partition} from {@code offset} on. */
	void positioned(int partition, int partitions, long offset) {
		if (this.windows.length < partitions) {
			this.windows = java.util.Arrays.copyOf(this.windows, partitions);
		}
		if (this.windows[partition] == null) {
			this.windows[partition] = new Window(this.capacity, offset);
		}
	}

	/** Partitions of the topic, once the feed has been positioned; 0 before. */
	int partitions() {
		for (Window window : this.windows) {
			if (window == null) {
				return 0;
			}
		}
		return this.windows.length;
	}

	void add(JobFrame frame) {
		Window window = window(frame.cursor().partition());
		if (window != null) {
			window.add(frame);
		}
	}

	/** The lowest offset from which this partition holds every frame, or -1 before the feed is positioned. */
	long coveredFrom(int partition) {
		Window window = window(partition);
		return (window != null) ? window.coveredFrom : -1;
	}

	/** One past the last offset seen in the partition: frames below it are in the window or older. */
	long next(int partition) {
		Window window = window(partition);
		return (window != null) ? window.next : -1;
	}

	/** The frames of {@code partition} from {@code offset} on that {@code audience} accepts, in order. */
	List<JobFrame> since(int partition, long offset, Audience audience) {
		List<JobFrame> frames = new ArrayList<>();
		Window window = window(partition);
		if (window != null) {
			window.forEach((frame) -> {
				if (frame.cursor().offset() >= offset && audience.accepts(frame)) {
					frames.add(frame);
				}
			});
		}
		return frames;
	}

	private @Nullable Window window(int partition) {
		return (partition < this.windows.length) ? this.windows[partition] : null;
	}

	/** A ring of the latest frames of one partition. */
	private static final class Window {

		private final JobFrame[] frames;

		private int head;

		private int size;

		private long coveredFrom;

		private long next;

		Window(int capacity, long offset) {
			this.frames = new JobFrame[capacity];
			this.coveredFrom = offset;
			this.next = offset;
		}

		void add(JobFrame frame) {
			if (this.size == this.frames.length) {
				this.coveredFrom = this.frames[this.head].cursor().offset() + 1;
				this.frames[this.head] = frame;
				this.head = (this.head + 1) % this.frames.length;
			}
			else {
				this.frames[(this.head + this.size) % this.frames.length] = frame;
				this.size++;
			}
			this.next = frame.cursor().offset() + 1;
		}

		void forEach(java.util.function.Consumer<JobFrame> action) {
			for (int i = 0; i < this.size; i++) {
				action.accept(this.frames[(this.head + i) % this.frames.length]);
			}
		}

	}

}
