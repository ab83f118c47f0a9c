package io.inloop.api.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.inloop.schemas.JobState;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A queue's health at a glance, across every owner: the jobs the ledger holds per state and per
 * type (finished ones for as long as it keeps them), how many wait for a worker and how long the
 * longest-waiting one has, and how many ended in each of the last 60 minutes.
 * @param at when the figures were taken
 * @param states jobs per state
 * @param types jobs per type, and per state within it
 * @param waiting jobs waiting for a worker: {@code QUEUED}, and {@code RETRYING}
 * @param oldestWaitingSince since when the job that waits longest waits (a retry: since its next
 * attempt is due); null when none waits
 * @param oldestWaitSeconds how long that is at {@code at}, 0 for a retry not due yet; null when none waits
 * @param lastHour what ended in the last hour
 */
@Schema(name = "QueueStats", description = "A queue's health across every owner")
public record QueueStats(@Schema(description = "When the figures were taken") Instant at,
		@Schema(description = "Jobs per state that the ledger holds (finished ones for its retention)") Map<JobState, Long> states,
		@Schema(description = "Jobs per type, and per state within each type") Map<String, Map<JobState, Long>> types,
		@Schema(description = "Jobs waiting for a worker: QUEUED, and RETRYING") long waiting,
		@Schema(description = "Since when the job that waits longest waits (a retry: since its next attempt is due); "
				+ "null when none waits", types = { "string", "null" }, format = "date-time") @Nullable Instant oldestWaitingSince,
		@Schema(description = "How long that is, in seconds, at `at` (0 for a retry not due yet); null when none waits",
				types = { "integer", "null" }) @Nullable Long oldestWaitSeconds,
		@Schema(description = "What ended in the last hour") LastHour lastHour) {

	/**
	 * @param succeeded jobs that succeeded in the last 60 minutes
	 * @param failed jobs that failed for good in the last 60 minutes
	 * @param cancelled jobs cancelled in the last 60 minutes
	 * @param failureRate failed of succeeded and failed, 0-1; null when none of either
	 * @param minutes what ended in each of the last 60 minutes, this one first
	 */
	@Schema(name = "QueueStatsLastHour", description = "What ended in the last 60 minutes")
	public record LastHour(@Schema(description = "Jobs that succeeded") long succeeded,
			@Schema(description = "Jobs that failed for good") long failed,
			@Schema(description = "Jobs cancelled") long cancelled,
			@Schema(description = "Failed of succeeded and failed, 0-1; null when none of either",
					types = { "number", "null" }) @Nullable Double failureRate,
			@Schema(description = "What ended in each of the 60 minutes, this one first") List<Minute> minutes) {
	}

	/** What ended in one minute. */
	@Schema(name = "QueueStatsMinute", description = "What ended in one minute")
	public record Minute(@Schema(description = "Jobs that succeeded") long succeeded,
			@Schema(description = "Jobs that failed for good") long failed,
			@Schema(description = "Jobs cancelled") long cancelled) {
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Figures added up: from the tasks of this instance, then from the other instances' answers. */
	public static final class Builder {

		private final Map<JobState, Long> states = new EnumMap<>(JobState.class);

		private final Map<String, Map<JobState, Long>> types = new TreeMap<>();

		private long waiting;

		private @Nullable Instant waitingSince;

		private final long[][] minutes = new long[TaskStats.MINUTES][3];

		private Builder() {
		}

		void state(JobState state, long count) {
			this.states.merge(state, count, Long::sum);
		}

		void type(String type, JobState state, long count) {
			this.types.computeIfAbsent(type, (ignored) -> new EnumMap<>(JobState.class)).merge(state, count, Long::sum);
		}

		void waiting(long count) {
			this.waiting += count;
		}

		void waitingSince(Instant since) {
			if (this.waitingSince == null || since.isBefore(this.waitingSince)) {
				this.waitingSince = since;
			}
		}

		void ended(int minutesAgo, long succeeded, long failed, long cancelled) {
			this.minutes[minutesAgo][0] += succeeded;
			this.minutes[minutesAgo][1] += failed;
			this.minutes[minutesAgo][2] += cancelled;
		}

		/** Adds another instance's figures, taken at about the same time. */
		public Builder add(QueueStats other) {
			other.states().forEach(this::state);
			other.types().forEach((type, counts) -> counts.forEach((state, count) -> type(type, state, count)));
			waiting(other.waiting());
			if (other.oldestWaitingSince() != null) {
				waitingSince(other.oldestWaitingSince());
			}
			List<Minute> theirs = other.lastHour().minutes();
			for (int i = 0; i < Math.min(theirs.size(), TaskStats.MINUTES); i++) {
				Minute minute = theirs.get(i);
				ended(i, minute.succeeded(), minute.failed(), minute.cancelled());
			}
			return this;
		}

		public QueueStats build(Instant at) {
			long succeeded = 0;
			long failed = 0;
			long cancelled = 0;
			List<Minute> perMinute = new ArrayList<>(TaskStats.MINUTES);
			for (long[] minute : this.minutes) {
				succeeded += minute[0];
				failed += minute[1];
				cancelled += minute[2];
				perMinute.add(new Minute(minute[0], minute[1], minute[2]));
			}
			Double failureRate = (succeeded + failed > 0) ? (double) failed / (succeeded + failed) : null;
			Long waitSeconds = (this.waitingSince != null)
					? Math.max(0, Duration.between(this.waitingSince, at).toSeconds()) : null;
			return new QueueStats(at, this.states, this.types, this.waiting, this.waitingSince, waitSeconds,
					new LastHour(succeeded, failed, cancelled, failureRate, perMinute));
		}

	}

}
