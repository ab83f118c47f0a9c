package io.inloop.schemas;

import java.util.EnumSet;
import java.util.Set;

/**
 * The job state machine: the one function that says whether a snapshot may follow another.
 * Every reader of the status stream (ledger, notifier, client library) applies it, so a
 * redelivered, retried or late event never moves a job backwards or out of a terminal state.
 */
public final class JobLifecycle {

	private static final Set<JobState> TERMINAL = EnumSet.of(JobState.SUCCEEDED, JobState.FAILED,
			JobState.CANCELLED);

	private JobLifecycle() {
	}

	public static boolean isTerminal(JobState state) {
		return TERMINAL.contains(state);
	}

	/** What to do with {@code next} given the latest accepted snapshot of the same job. */
	public static Move move(JobStatusChanged current, JobStatusChanged next) {
		return move(current.getState(), version(current), version(next));
	}

	/**
	 * The same rule for a reader that keeps only the state and {@link #version} of a job's latest
	 * snapshot (the notifier, per frame), so it need not rebuild snapshots to compare them.
	 */
	public static Move move(JobState currentState, long currentVersion, long nextVersion) {
		if (isTerminal(currentState)) {
			return Move.AFTER_TERMINAL;
		}
		if (nextVersion <= currentVersion) {
			return Move.STALE;
		}
		return Move.ACCEPTED;
	}

	/**
	 * Orders the snapshots of one job: by attempt, then by sequence within the attempt, and an
	 * observer's report ({@link #isReport}) just after the writer's snapshot it observed, before the
	 * writer's next: {@code attempt << 32 | sequence << 1 | report}. So a report never takes a
	 * version the job's writer will use, and the writer's next snapshot always outranks it.
	 */
	public static long version(JobStatusChanged event) {
		return version(event.getAttempt(), event.getSequence(), isReport(event.getState()));
	}

	/**
	 * The last sequence of an attempt: the one the ledger's fence takes when the attempt's lease is
	 * over ({@link JobSnapshots#leaseLost}), above any its worker writes, below the next attempt's
	 * {@code (attempt + 1, 0)}.
	 */
	public static final int LAST_SEQUENCE = 0x7fffffff;

	/** The {@link #version(JobStatusChanged) version} of a snapshot with this attempt and sequence. */
	public static long version(int attempt, long sequence, boolean report) {
		return ((long) attempt << 32) | ((sequence & 0x7fffffffL) << 1) | (report ? 1 : 0);
	}

	/** The attempt a {@link #version(JobStatusChanged) version} belongs to. */
	public static int attemptOf(long version) {
		return (int) (version >>> 32);
	}

	/** The writer's sequence in a version; a report's is that of the snapshot it observed. */
	public static int sequenceOf(long version) {
		return (int) ((version & 0xffffffffL) >>> 1);
	}

	/** Whether a version is that of a {@link #isReport(JobState) report}. */
	public static boolean isReport(long version) {
		return (version & 1) == 1;
	}

	/**
	 * Whether a snapshot in {@code state} is written by someone watching the job rather than by its
	 * writer (the API while queued, then the worker of each attempt): {@code STALLED}, which the
	 * ledger reports when a running job's heartbeats stop.
	 */
	public static boolean isReport(JobState state) {
		return state == JobState.STALLED;
	}

	/** The outcome of {@link #move}: only {@link #ACCEPTED} snapshots are applied. */
	public enum Move {

		ACCEPTED,

		/** Does not advance the job's version: a duplicate or an out-of-order event. */
		STALE,

		/** The job had already ended; terminal states are final. */
		AFTER_TERMINAL

	}

}
