package io.inloop.bench.throughput;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.inloop.bench.client.JobFrame;

/**
 * What each job's stream of frames lacked or had too much of, from the frames' versions
 * ({@code attempt << 32 | sequence << 1 | report}, docs/architecture.md): attempt {@code n} starts at sequence 0
 * and every snapshot of it increments the sequence, so a missing sequence below the highest one
 * seen is a lost frame, a version seen twice a duplicate, and a version below the highest one
 * already seen a frame out of order.
 * <p>
 * A missing progress frame may also have been merged by the server for a connection that was
 * behind (docs/protocol.md, "Slow clients"); from the client's side that is a frame it did not get,
 * and it is counted as lost.
 */
public final class JobStreamAccounting {

	private final Map<String, JobStream> streams = new HashMap<>();

	public synchronized void record(JobFrame frame) {
		this.streams.computeIfAbsent(frame.jobId(), (id) -> new JobStream()).record(frame);
	}

	/** The tally of the given jobs; frames of any other job count as foreign. */
	public synchronized Tally tally(Collection<String> jobs) {
		Set<String> jobIds = new HashSet<>(jobs);
		Tally tally = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
		for (String id : jobIds) {
			JobStream stream = this.streams.get(id);
			tally = tally.plus((stream != null) ? stream.tally() : JobStream.NEVER_SEEN);
		}
		long foreign = 0;
		for (Map.Entry<String, JobStream> entry : this.streams.entrySet()) {
			if (!jobIds.contains(entry.getKey())) {
				foreign += entry.getValue().frames;
			}
		}
		return tally.withForeignFrames(foreign);
	}

	/**
	 * The versions missing from the streams of the given jobs, by job: every sequence below the
	 * highest one seen of an attempt, and sequence 0 of an attempt never seen below the last one
	 * (what {@link Tally#lost()} counts, less the terminal frames of unfinished jobs).
	 */
	public synchronized Map<String, List<Long>> missingVersions(Collection<String> jobs) {
		Map<String, List<Long>> missing = new TreeMap<>();
		for (String id : jobs) {
			JobStream stream = this.streams.get(id);
			if (stream != null) {
				List<Long> versions = stream.missing();
				if (!versions.isEmpty()) {
					missing.put(id, versions);
				}
			}
		}
		return missing;
	}

	/**
	 * The accounting of a set of jobs.
	 *
	 * @param jobs the jobs accounted for
	 * @param finished jobs whose terminal frame arrived
	 * @param succeeded jobs that ended {@code SUCCEEDED}
	 * @param frames frames received for these jobs
	 * @param lost frames missing from the streams: every sequence below the highest one seen of an
	 * attempt, at least one frame for an attempt never seen below the last one, and one for a
	 * missing terminal frame (a lower bound: what a job would have sent after its last frame is
	 * unknown)
	 * @param duplicated frames whose version had already arrived
	 * @param outOfOrder frames whose version was below one already received
	 * @param afterTerminal frames that came after the job's terminal frame
	 * @param unfinished jobs whose terminal frame never arrived
	 * @param foreignFrames frames of jobs not in the set (e.g. snapshots of older jobs)
	 */
	public record Tally(int jobs, int finished, int succeeded, long frames, long lost, long duplicated, long outOfOrder,
			long afterTerminal, int unfinished, long foreignFrames) {

		Tally plus(Tally other) {
			return new Tally(this.jobs + other.jobs, this.finished + other.finished, this.succeeded + other.succeeded,
					this.frames + other.frames, this.lost + other.lost, this.duplicated + other.duplicated,
					this.outOfOrder + other.outOfOrder, this.afterTerminal + other.afterTerminal,
					this.unfinished + other.unfinished, this.foreignFrames + other.foreignFrames);
		}

		Tally withForeignFrames(long foreign) {
			return new Tally(this.jobs, this.finished, this.succeeded, this.frames, this.lost, this.duplicated,
					this.outOfOrder, this.afterTerminal, this.unfinished, foreign);
		}

	}

	/** One job's frames so far. */
	private static final class JobStream {

		/** A job of which no frame arrived: its first frame and its terminal frame are lost. */
		static final Tally NEVER_SEEN = new Tally(1, 0, 0, 0, 2, 0, 0, 0, 1, 0);

		private final TreeMap<Integer, BitSet> sequencesByAttempt = new TreeMap<>();

		private final Map<Integer, BitSet> reportsByAttempt = new HashMap<>();

		private long highest = -1;

		private long frames;

		private long duplicated;

		private long outOfOrder;

		private long afterTerminal;

		private boolean terminal;

		private boolean succeeded;

		void record(JobFrame frame) {
			this.frames++;
			// A report (STALLED) shares the sequence of the snapshot it observed: counted apart
			Map<Integer, BitSet> seen = frame.report() ? this.reportsByAttempt : this.sequencesByAttempt;
			BitSet sequences = seen.computeIfAbsent(frame.attempt(), (attempt) -> new BitSet());
			if (sequences.get(frame.sequence())) {
				this.duplicated++;
				return;
			}
			sequences.set(frame.sequence());
			if (this.terminal) {
				this.afterTerminal++;
			}
			if (frame.version() < this.highest) {
				this.outOfOrder++;
			}
			this.highest = Math.max(this.highest, frame.version());
			if (frame.terminal() && !this.terminal) {
				this.terminal = true;
				this.succeeded = frame.succeeded();
			}
		}

		List<Long> missing() {
			List<Long> missing = new ArrayList<>();
			int lastAttempt = this.sequencesByAttempt.isEmpty() ? -1 : this.sequencesByAttempt.lastKey();
			for (int attempt = 0; attempt <= lastAttempt; attempt++) {
				BitSet sequences = this.sequencesByAttempt.get(attempt);
				if (sequences == null) {
					missing.add(JobFrame.version(attempt, 0));
					continue;
				}
				for (int sequence = sequences.nextClearBit(0); sequence < sequences.length();
						sequence = sequences.nextClearBit(sequence + 1)) {
					missing.add(JobFrame.version(attempt, sequence));
				}
			}
			return missing;
		}

		Tally tally() {
			long lost = 0;
			int lastAttempt = this.sequencesByAttempt.isEmpty() ? -1 : this.sequencesByAttempt.lastKey();
			for (int attempt = 0; attempt <= lastAttempt; attempt++) {
				BitSet sequences = this.sequencesByAttempt.get(attempt);
				// An attempt never seen sent at least its first frame.
				lost += (sequences == null) ? 1 : sequences.length() - sequences.cardinality();
			}
			if (!this.terminal) {
				lost++;
			}
			return new Tally(1, this.terminal ? 1 : 0, this.succeeded ? 1 : 0, this.frames, lost, this.duplicated,
					this.outOfOrder, this.afterTerminal, this.terminal ? 0 : 1, 0);
		}

	}

}
