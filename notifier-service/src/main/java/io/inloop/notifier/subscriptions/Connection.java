package io.inloop.notifier.subscriptions;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BooleanSupplier;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One client's live frames, whatever the transport: a {@link ConflatingQueue} drained only as far
 * as the transport asks, so a client that stops reading holds a few frames at most, and no
 * thread. Kept small, since an idle notifier holds tens of thousands: no timer of its own (the
 * {@link Subscriptions} sweep pings and expires it), no buffer until a frame has to wait.
 */
final class Connection {

	private static final AtomicIntegerFieldUpdater<Connection> WORK = AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "work");

	private final String subject;

	private final Audience audience;

	private final long expiresAt;

	private final ConflatingQueue queue;

	// The transport's own buffer has room; without this check it would take frames without bound.
	private final BooleanSupplier writable;

	// Frames below this offset reached the client before it joined the live feed (history, snapshots).
	private volatile long from;

	private volatile @Nullable FluxSink<Frame> sink;

	private volatile @Nullable CloseReason closing;

	private volatile boolean pingDue;

	private volatile int work;

	Connection(String subject, Audience audience, long expiresAt, int capacity, BooleanSupplier writable) {
		this.writable = writable;
		this.subject = subject;
		this.audience = audience;
		this.expiresAt = expiresAt;
		this.queue = new ConflatingQueue(capacity);
	}

	/** The authenticated caller, whose connections are counted against the limit. */
	String subject() {
		return this.subject;
	}

	Audience audience() {
		return this.audience;
	}

	/** Live frames are sent from {@code offset} on; earlier ones reached the client already. */
	void from(long offset) {
		this.from = offset;
	}

	/** The frames queued after the client joined the live feed, until the stream is closed. */
	Flux<Frame> live() {
		return Flux.push((sink) -> {
			sink.onRequest((n) -> drain());
			this.sink = sink;
			drain();
		}, FluxSink.OverflowStrategy.IGNORE);
	}

	/** Queues the frame without blocking; called on the feed's thread. */
	ConflatingQueue.@Nullable Offer send(JobFrame frame) {
		if (this.closing != null || frame.cursor().offset() < this.from || !this.audience.accepts(frame)) {
			return null;
		}
		ConflatingQueue.Offer offer = this.queue.offer(frame);
		if (offer == ConflatingQueue.Offer.OVERFLOW) {
			close(CloseReason.TOO_SLOW);
		}
		else {
			drain();
		}
		return offer;
	}

	int pending() {
		return this.queue.size();
	}

	/** Sends what waits, if the transport has room now (the sweep retries a connection that had none). */
	void flush() {
		if (this.queue.size() > 0) {
			drain();
		}
	}

	void ping() {
		this.pingDue = true;
		drain();
	}

	boolean hasExpired(long now) {
		return now >= this.expiresAt;
	}

	/** Ends the stream with {@code reason} at once, dropping what waits: the client resumes by cursor. */
	void close(CloseReason reason) {
		if (this.closing == null) {
			this.closing = reason;
			drain();
		}
	}

	boolean isClosing() {
		return this.closing != null;
	}

	// One drain at a time, whichever thread asks: the feed's (new frame) or the transport's (demand).
	private void drain() {
		if (WORK.getAndIncrement(this) != 0) {
			return;
		}
		int missed = 1;
		do {
			FluxSink<Frame> out = this.sink;
			if (out != null) {
				CloseReason reason = this.closing;
				if (reason != null) {
					this.sink = null;
					this.queue.clear();
					out.error(new ConnectionClosedException(reason));
				}
				else {
					if (this.pingDue && out.requestedFromDownstream() > 0) {
						this.pingDue = false;
						out.next(ControlFrame.PING);
					}
					while (out.requestedFromDownstream() > 0 && this.writable.getAsBoolean()) {
						JobFrame frame = this.queue.poll();
						if (frame == null) {
							break;
						}
						out.next(frame);
					}
				}
			}
			missed = WORK.addAndGet(this, -missed);
		}
		while (missed != 0);
	}

}
