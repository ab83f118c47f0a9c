package io.inloop.api.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.jspecify.annotations.Nullable;

/**
 * What one ledger task's jobs add up to, kept as the task applies snapshots (and rebuilt from its
 * store when it starts): jobs per state and per type, the jobs waiting for a worker ordered by how
 * long they have waited, and the jobs that ended in each of the last 60 minutes. Written on the
 * stream thread, read by {@link LedgerStats} on any: synchronized, never contended for long.
 */
final class TaskStats {

	/** Minutes of outcomes kept. */
	static final int MINUTES = 60;

	private final Map<JobState, Long> byState = new EnumMap<>(JobState.class);

	private final Map<String, Map<JobState, Long>> byType = new HashMap<>();

	/** Jobs waiting for a worker, longest-waiting first. */
	private final TreeSet<Waiting> waiting = new TreeSet<>();

	/** Per minute (epoch minute modulo {@link #MINUTES}): the minute and its succeeded, failed and cancelled jobs. */
	private final long[][] outcomes = new long[MINUTES][4];

	/** {@code current} replaces {@code previous} (null: a new job) under {@code key}. */
	synchronized void moved(String key, @Nullable JobStatusChanged previous, JobStatusChanged current) {
		if (previous != null) {
			if (previous.getState() == current.getState() && previous.getType().equals(current.getType())
					&& !isWaiting(current.getState())) {
				return;
			}
			remove(key, previous);
		}
		add(key, current);
		if (JobLifecycle.isTerminal(current.getState())
				&& (previous == null || !JobLifecycle.isTerminal(previous.getState()))) {
			ended(current);
		}
	}

	/** A job the task held at its start: counted, and its outcome if it ended within the hour. */
	synchronized void held(String key, JobStatusChanged job) {
		add(key, job);
		if (JobLifecycle.isTerminal(job.getState())) {
			ended(job);
		}
	}

	/** A job gone from the store (past its retention). */
	synchronized void removed(String key, JobStatusChanged job) {
		remove(key, job);
	}

	private void add(String key, JobStatusChanged job) {
		this.byState.merge(job.getState(), 1L, Long::sum);
		this.byType.computeIfAbsent(job.getType(), (type) -> new EnumMap<>(JobState.class))
			.merge(job.getState(), 1L, Long::sum);
		if (isWaiting(job.getState())) {
			this.waiting.add(Waiting.of(key, job));
		}
	}

	private void remove(String key, JobStatusChanged job) {
		decrement(this.byState, job.getState());
		Map<JobState, Long> ofType = this.byType.get(job.getType());
		if (ofType != null) {
			decrement(ofType, job.getState());
			if (ofType.isEmpty()) {
				this.byType.remove(job.getType());
			}
		}
		if (isWaiting(job.getState())) {
			this.waiting.remove(Waiting.of(key, job));
		}
	}

	private static void decrement(Map<JobState, Long> counts, JobState state) {
		counts.computeIfPresent(state, (ignored, count) -> (count > 1) ? count - 1 : null);
	}

	private void ended(JobStatusChanged job) {
		Instant at = (job.getFinishedAt() != null) ? job.getFinishedAt() : job.getUpdatedAt();
		long minute = at.getEpochSecond() / 60;
		long[] bucket = this.outcomes[(int) Math.floorMod(minute, (long) MINUTES)];
		if (bucket[0] > minute) {
			// The bucket holds a later hour's minute (jobs come in any order from the store): this one is past
			return;
		}
		if (bucket[0] < minute) {
			bucket[0] = minute;
			bucket[1] = 0;
			bucket[2] = 0;
			bucket[3] = 0;
		}
		bucket[outcomeIndex(job.getState())]++;
	}

	private static int outcomeIndex(JobState state) {
		return switch (state) {
			case SUCCEEDED -> 1;
			case FAILED -> 2;
			default -> 3;
		};
	}

	/** Queued, or retrying: a worker is to take it. */
	static boolean isWaiting(JobState state) {
		return state == JobState.QUEUED || state == JobState.RETRYING;
	}

	/** A waiting job: since when it waits (queued: since its snapshot; retrying: since its next attempt is due). */
	private record Waiting(Instant since, String key) implements Comparable<Waiting> {

		private static final Comparator<Waiting> ORDER = Comparator.comparing(Waiting::since).thenComparing(Waiting::key);

		static Waiting of(String key, JobStatusChanged job) {
			Instant due = (job.getState() == JobState.RETRYING) ? job.getNextAttemptAt() : null;
			return new Waiting((due != null) ? due : job.getUpdatedAt(), key);
		}

		@Override
		public int compareTo(Waiting other) {
			return ORDER.compare(this, other);
		}

	}

	/** Adds this task's figures as of {@code now} to {@code into}. */
	synchronized void addTo(QueueStats.Builder into, Instant now) {
		this.byState.forEach(into::state);
		this.byType.forEach((type, counts) -> counts.forEach((state, count) -> into.type(type, state, count)));
		into.waiting(this.waiting.size());
		if (!this.waiting.isEmpty()) {
			into.waitingSince(this.waiting.first().since());
		}
		long thisMinute = now.getEpochSecond() / 60;
		for (long[] bucket : this.outcomes) {
			long age = thisMinute - bucket[0];
			if (age >= 0 && age < MINUTES) {
				into.ended((int) age, bucket[1], bucket[2], bucket[3]);
			}
		}
	}

}
