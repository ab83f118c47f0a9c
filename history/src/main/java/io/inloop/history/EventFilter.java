package io.inloop.history;

import java.time.Instant;
import java.util.Set;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.jspecify.annotations.Nullable;

/**
 * Which status events a replay selects; an empty set selects any value. The time range is on the
 * record's Kafka timestamp, the same one offsets-for-times searches, both ends included.
 */
public record EventFilter(Set<String> jobs, Set<String> owners, Set<String> types, Set<JobState> states,
		@Nullable Instant from, @Nullable Instant to) {

	public boolean matches(JobStatusChanged event, Instant timestamp) {
		return anyOrContains(this.jobs, event.getJobId()) && anyOrContains(this.owners, event.getOwner())
				&& anyOrContains(this.types, event.getType()) && anyOrContains(this.states, event.getState())
				&& (this.from == null || !timestamp.isBefore(this.from))
				&& (this.to == null || !timestamp.isAfter(this.to));
	}

	private static <T> boolean anyOrContains(Set<T> selected, T value) {
		return selected.isEmpty() || selected.contains(value);
	}

}
