package io.inloop.notifier.subscriptions;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.JobFrame;
import org.jspecify.annotations.Nullable;

/**
 * One client's live frames, whatever the transport: a {@link ConflatingQueue} drained into the
 * transport's {@link FrameSink} as far as the sink is ready, so a client that stops reading holds a
 * few frames at most, and no thread. Kept small, since a notifier holds tens of thousands: no timer
 * of its own ({@link ConnectionSweep} pings and expires it), no buffer until a frame has to wait.
 */
public final class Connection {

	private static final AtomicIntegerFieldUpdater<Connection> WORK = AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "work");

	private static final AtomicIntegerFieldUpdater<Connection> SCHEDULED = AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "scheduled");

	private static final AtomicIntegerFieldUpdater<Connection> RELEASED = AtomicIntegerFieldUpdater
		.newUpdater(Connection.class, "released");

	private final String subject;

	private final Audience audience;

	private final long expiresAt;

	private final int slot;

	private final ConflatingQueue queue;

	// Frames below this offset reached the client before it joined the live feed (history, snapshots).
	private volatile long from;

	private volatile @Nullable FrameSink sink;

	private volatile @Nullable CloseReason closing;

	private volatile boolean pingDue;

	private volatile int work;

	// 1 while a drain waits to run where the sink wants it: a burst of frames asks for one.
	private volatile int scheduled;

	private final Runnable scheduledDrain = () -> {
		this.scheduled = 0;
		drainHere();
	};

	// 1 once the client is gone and the registry let go of it.
	private volatile int released;

	Connection(String subject, Audience audience, long expiresAt, int slot, int capacity) {
		this.subject = subject;
		this.audience = audience;
		this.expiresAt = expiresAt;
		this.slot = slot;
		this.queue = new ConflatingQueue(capacity);
	}

	/** The authenticated caller, whose connections are counted against the limit. */
	String subject() {
		return this.subject;
	}

	Audience audience() {
		return this.audience;
	}

	/** Marks the connection gone; true the first time only. */
	boolean release() {
		return RELEASED.compareAndSet(this, 0, 1);
	}

	boolean isReleased() {
		return this.released != 0;
	}

	/** Spreads the connections' pings over the sweeps of a ping interval. */
	int slot() {
		return this.slot;
	}

	/** Live frames are sent from {@code offset} on; earlier ones reached the client already. */
	void from(long offset) {
		this.from = offset;
	}

	/**
	 * The client has what it missed and its {@link ControlFrame#LIVE live} frame: live frames go to
	 * {@code sink} from now on, those that waited first.
	 */
	public void attach(FrameSink sink) {
		this.sink = sink;
		drain();
	}

	/** Queues the frame without blocking, and sends it if the sink is ready; called on the feed's thread. */
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

	/** Sends what waits, if the sink is ready now: the transport calls it when it has room again. */
	public void flush() {
		if (this.pingDue || this.queue.size() > 0) {
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
	public void close(CloseReason reason) {
		if (this.closing == null) {
			this.closing = reason;
			drain();
		}
	}

	public boolean isClosing() {
		return this.closing != null;
	}

	/**
	 * Drains where the sink wants it ({@link FrameSink#execute}), whoever asks: the feed (a new
	 * frame), the transport (room again), the sweep (a ping, a close). Every write of a connection
	 * then comes from one place, so no frame can overtake another; a burst asks for one drain.
	 */
	private void drain() {
		FrameSink out = this.sink;
		if (out != null && SCHEDULED.compareAndSet(this, 0, 1)) {
			out.execute(this.scheduledDrain);
		}
	}

	// One drain at a time, on whichever thread the sink runs it.
	private void drainHere() {
		if (WORK.getAndIncrement(this) != 0) {
			return;
		}
		int missed = 1;
		do {
			FrameSink out = this.sink;
			if (out != null) {
				CloseReason reason = this.closing;
				if (reason != null) {
					this.sink = null;
					this.queue.clear();
					out.close(reason);
				}
				else {
					boolean sent = false;
					if (this.pingDue && out.ready()) {
						this.pingDue = false;
						out.send(ControlFrame.PING);
						sent = true;
					}
					while (out.ready()) {
						JobFrame frame = this.queue.poll();
						if (frame == null) {
							break;
						}
						out.send(frame);
						sent = true;
					}
					if (sent) {
						out.flush();
					}
				}
			}
			missed = WORK.addAndGet(this, -missed);
		}
		while (missed != 0);
	}

}
