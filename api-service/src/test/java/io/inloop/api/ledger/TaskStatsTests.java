package io.inloop.api.ledger;

import java.time.Duration;
import java.time.Instant;

import io.inloop.schemas.JobEvents;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a task's jobs add up to, when the task starts and counts its store in whatever order it has it. */
class TaskStatsTests {

	private static final Instant NOW = Instant.parse("2026-12-08T10:30:30Z");

	@Test
	void outcomesAnHourApartInTheSameBucketCountOnlyTheRecentOneWhateverTheOrder() {
		TaskStats stats = new TaskStats();
		stats.held("a", ended("a", JobState.SUCCEEDED, NOW.minusSeconds(10)));
		stats.held("b", ended("b", JobState.FAILED, NOW.minus(Duration.ofMinutes(60)).minusSeconds(10)));
		stats.held("c", ended("c", JobState.CANCELLED, NOW.minus(Duration.ofMinutes(3))));
		QueueStats.Builder figures = QueueStats.builder();
		stats.addTo(figures, NOW);
		QueueStats.LastHour hour = figures.build(NOW).lastHour();
		assertThat(hour.succeeded()).isEqualTo(1);
		assertThat(hour.failed()).as("ended more than an hour ago").isZero();
		assertThat(hour.cancelled()).isEqualTo(1);
		assertThat(hour.minutes().get(0)).isEqualTo(new QueueStats.Minute(1, 0, 0));
		assertThat(hour.minutes().get(3)).isEqualTo(new QueueStats.Minute(0, 0, 1));
		assertThat(figures.build(NOW).states()).as("every job held is counted by state")
			.containsEntry(JobState.FAILED, 1L)
			.containsEntry(JobState.SUCCEEDED, 1L);
	}

	@Test
	void theLongestWaitIsTheOldestQueuedJobsAndARetryCountsFromWhenItIsDue() {
		TaskStats stats = new TaskStats();
		stats.held("q", JobStatusChanged.newBuilder(JobEvents.aSnapshot("q", JobState.QUEUED, 0, 0).build())
			.setUpdatedAt(NOW.minusSeconds(40)).build());
		stats.held("r", JobStatusChanged.newBuilder(JobEvents.aSnapshot("r", JobState.RETRYING, 1, 3).build())
			.setUpdatedAt(NOW.minusSeconds(90)).setNextAttemptAt(NOW.plusSeconds(30)).build());
		QueueStats.Builder figures = QueueStats.builder();
		stats.addTo(figures, NOW);
		QueueStats queue = figures.build(NOW);
		assertThat(queue.waiting()).isEqualTo(2);
		assertThat(queue.oldestWaitSeconds()).isEqualTo(40);

		stats.moved("q", JobStatusChanged.newBuilder(JobEvents.aSnapshot("q", JobState.QUEUED, 0, 0).build())
			.setUpdatedAt(NOW.minusSeconds(40)).build(), JobEvents.aSnapshot("q", JobState.RUNNING, 1, 0).setUpdatedAt(NOW).build());
		QueueStats.Builder after = QueueStats.builder();
		stats.addTo(after, NOW);
		assertThat(after.build(NOW).waiting()).isEqualTo(1);
		assertThat(after.build(NOW).oldestWaitSeconds()).as("the retry, not due yet").isZero();
	}

	private static JobStatusChanged ended(String id, JobState state, Instant at) {
		return JobEvents.aSnapshot(id, state, 1, 2).setUpdatedAt(at).setFinishedAt(at).build();
	}

}
