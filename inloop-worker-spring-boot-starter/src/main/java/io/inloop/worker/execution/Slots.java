package io.inloop.worker.execution;

import java.time.Duration;

/**
 * The worker's job slots, counted: {@code inloop.worker.concurrency} jobs at once at most. A
 * {@link CommandFetcher} reserves as many slots as it may fetch commands before it asks the share
 * group for them, so the worker never holds a command it has no slot for (a command held without
 * a slot would wait for this worker's jobs while another worker is idle); each command taken
 * keeps its slot until its attempt is over, and what a fetch did not fill goes back at once.
 */
final class Slots {

	private final int total;

	private int free;

	private boolean closed;

	Slots(int total) {
		this.total = total;
		this.free = total;
	}

	/**
	 * Waits until {@code count} slots are free and takes them.
	 * @return whether they were taken: false once {@link #close() closed} or after {@code wait}
	 */
	synchronized boolean reserve(int count, Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (!this.closed && this.free < count) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			this.wait(Math.max(1, left / 1_000_000));
		}
		if (this.closed) {
			return false;
		}
		this.free -= count;
		return true;
	}

	/** Gives {@code count} slots back: an attempt is over, or a fetch brought fewer commands than it reserved. */
	synchronized void release(int count) {
		if (count > 0) {
			this.free = Math.min(this.total, this.free + count);
			this.notifyAll();
		}
	}

	/** No more reservations: whoever waits for one is told at once. */
	synchronized void close() {
		this.closed = true;
		this.notifyAll();
	}

	/** Takes reservations again after {@link #close()}. */
	synchronized void open() {
		this.closed = false;
	}

	/** Waits up to {@code wait} until no slot is busy; returns whether none is. */
	synchronized boolean awaitIdle(Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (this.free < this.total) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			this.wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	int total() {
		return this.total;
	}

	synchronized int busy() {
		return this.total - this.free;
	}

}
