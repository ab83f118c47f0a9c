package io.inloop.bench.fanout;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import io.inloop.bench.client.JobFrame;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What W4 sent and what its clients got, per job: every job's records are written in order by
 * one producer thread with sequences 0, 1, 2, ... (one attempt), so a client that receives sequence
 * {@code s} after {@code h} lost {@code s - h - 1} frames in between (merged by the notifier for a
 * connection that was behind, docs/protocol.md "Slow clients", or lost), and a frame whose sequence
 * does not exceed the highest one received is a duplicate or out of order. Loss in the end is
 * what was sent less what arrived, so frames missing after the last one received count too.
 * <p>
 * Push lag is the time from a record's timestamp (its {@code updatedAt}, also its Kafka
 * CreateTime) to the frame's arrival, both read from one clock of this process
 * ({@link #epochMillis}, {@link #epochMicros}), so they need no synchronisation; {@code updatedAt}
 * has millisecond resolution, which makes each lag up to 1 ms longer than it was. Frames of records
 * sent before {@code warmupUntilMillis} count in the loss, not in the lag.
 */
public final class FanOutAccounting {

	private final long baseNanos;

	private final long baseEpochMicros;

	private final long warmupUntilMillis;

	private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();

	private final ConcurrentHistogram fastLag = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);

	private final ConcurrentHistogram slowLag = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);

	private final LongAdder foreignFrames = new LongAdder();

	private final LongAccumulator lastReceivedNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

	/** Frames of reading clients received in each second after the base, for the rate over time. */
	private final AtomicLongArray fastPerSecond = new AtomicLongArray(3600);

	/**
	 * @param baseNanos a {@link System#nanoTime()} reading
	 * @param baseEpochMicros the wall clock at that moment, in microseconds since the epoch
	 * @param warmupUntilMillis records timestamped before this (epoch ms) are not in the lag figures
	 */
	public FanOutAccounting(long baseNanos, long baseEpochMicros, long warmupUntilMillis) {
		this.baseNanos = baseNanos;
		this.baseEpochMicros = baseEpochMicros;
		this.warmupUntilMillis = warmupUntilMillis;
	}

	/** Epoch microseconds of a {@link System#nanoTime()} reading, on this accounting's clock. */
	public long epochMicros(long nanos) {
		return this.baseEpochMicros + Math.floorDiv(nanos - this.baseNanos, 1000);
	}

	/** Epoch milliseconds of a {@link System#nanoTime()} reading: what a record's {@code updatedAt} is set to. */
	public long epochMillis(long nanos) {
		return Math.floorDiv(epochMicros(nanos), 1000);
	}

	/** A job whose records will be sent and whose frames counted; {@code slow}: of a client that does not read. */
	public Job register(String jobId, boolean slow) {
		Job job = new Job(jobId, slow);
		this.jobs.put(jobId, job);
		return job;
	}

	/** A frame a client received; called on the connection's thread, one thread per job. */
	public void received(JobFrame frame) {
		Job job = this.jobs.get(frame.jobId());
		if (job == null) {
			this.foreignFrames.increment();
			return;
		}
		job.received(frame);
		if (!job.slow) {
			this.lastReceivedNanos.accumulate(frame.receivedNanos());
			long second = Math.floorDiv(frame.receivedNanos() - this.baseNanos, 1_000_000_000L);
			if (second >= 0 && second < this.fastPerSecond.length()) {
				this.fastPerSecond.incrementAndGet((int) second);
			}
		}
		if (frame.updatedAtMillis() >= 0 && frame.updatedAtMillis() >= this.warmupUntilMillis) {
			long lag = epochMicros(frame.receivedNanos()) - frame.updatedAtMillis() * 1000;
			(job.slow ? this.slowLag : this.fastLag).recordValue(Math.max(0, Math.min(lag, TimeUnit.MINUTES.toMicros(1))));
		}
	}

	/** Push lag of the clients that read, in microseconds. */
	public Histogram fastLag() {
		return this.fastLag.copy();
	}

	/** Push lag of the clients that do not read (of the frames they got once they read again). */
	public Histogram slowLag() {
		return this.slowLag.copy();
	}

	/** When the last frame of a reading client arrived ({@link System#nanoTime()}), or {@code Long.MIN_VALUE}. */
	public long lastReceivedNanos() {
		return this.lastReceivedNanos.get();
	}

	/** Frames of reading clients received in whole seconds {@code from} to {@code to} (exclusive) after the base, per second. */
	public double fastRate(int from, int to) {
		long frames = 0;
		for (int second = Math.max(0, from); second < Math.min(to, this.fastPerSecond.length()); second++) {
			frames += this.fastPerSecond.get(second);
		}
		return (to > from) ? (double) frames / (to - from) : 0;
	}

	public long foreignFrames() {
		return this.foreignFrames.sum();
	}

	/** The tally of the jobs of one kind of client. */
	public Tally tally(boolean slow) {
		return tally(this.jobs.values(), slow);
	}

	static Tally tally(Collection<Job> jobs, boolean slow) {
		int count = 0;
		int terminalsMissing = 0;
		long sent = 0;
		long frames = 0;
		long lost = 0;
		long gaps = 0;
		long stale = 0;
		for (Job job : jobs) {
			if (job.slow != slow) {
				continue;
			}
			count++;
			sent += job.sent;
			frames += job.frames;
			lost += Math.max(0, job.sent - job.advancing);
			gaps += job.gaps;
			stale += job.frames - job.advancing;
			if (job.terminalSent && !job.terminalReceived) {
				terminalsMissing++;
			}
		}
		return new Tally(count, sent, frames, lost, gaps, stale, terminalsMissing);
	}

	/**
	 * @param jobs jobs of this kind of client
	 * @param sent records sent for them (acknowledged or not)
	 * @param frames frames received for them
	 * @param lost records sent whose frame never arrived: merged for a client behind, or lost
	 * @param gaps of those, the ones missing between two frames received (the rest are after the last)
	 * @param stale frames that did not advance their job: duplicates or out of order
	 * @param terminalsMissing jobs whose terminal record was sent and whose terminal frame did not arrive
	 */
	public record Tally(int jobs, long sent, long frames, long lost, long gaps, long stale, int terminalsMissing) {
	}

	/**
	 * One job: the producer thread counts what it sent, the connection's thread what arrived.
	 */
	public static final class Job {

		final String id;

		final boolean slow;

		// Written by the producer thread only.
		private volatile int nextSequence;

		private volatile long sent;

		private volatile boolean terminalSent;

		// Written by the connection's thread only.
		private volatile int highest = -1;

		private volatile long frames;

		private volatile long advancing;

		private volatile long gaps;

		private volatile boolean terminalReceived;

		Job(String id, boolean slow) {
			this.id = id;
			this.slow = slow;
		}

		public String id() {
			return this.id;
		}

		public boolean slow() {
			return this.slow;
		}

		/** The sequence of the next record, counted as sent. */
		public int send(boolean terminal) {
			int sequence = this.nextSequence;
			this.nextSequence = sequence + 1;
			this.sent++;
			if (terminal) {
				this.terminalSent = true;
			}
			return sequence;
		}

		public boolean terminalReceived() {
			return this.terminalReceived;
		}

		void received(JobFrame frame) {
			this.frames++;
			int sequence = frame.sequence();
			if (sequence > this.highest) {
				this.gaps += sequence - this.highest - 1;
				this.highest = sequence;
				this.advancing++;
			}
			if (frame.terminal()) {
				this.terminalReceived = true;
			}
		}

		@Override
		public String toString() {
			return this.id + (this.slow ? " (slow)" : "");
		}

	}

}
