package io.inloop.notifier.subscriptions;

import java.util.Set;

import io.inloop.notifier.delivery.JobFrame;
import io.inloop.schemas.JobState;
import org.jspecify.annotations.Nullable;

/**
 * Whose frames a connection receives: some owners' (or everyone's, when {@code owners} is empty),
 * optionally only of some job types and states. What a caller may ask for is decided before.
 */
public record Audience(Set<String> owners, Set<String> types, Set<JobState> states) {

	public Audience {
		owners = Set.copyOf(owners);
		types = Set.copyOf(types);
		states = Set.copyOf(states);
	}

	/** Every frame of {@code owner}'s jobs: what a user's browser gets. */
	public static Audience of(String owner) {
		return new Audience(Set.of(owner), Set.of(), Set.of());
	}

	/** The one owner whose frames this is, if it is one: only such streams can resume from a cursor. */
	public @Nullable String owner() {
		return (this.owners.size() == 1) ? this.owners.iterator().next() : null;
	}

	public boolean accepts(JobFrame frame) {
		return (this.owners.isEmpty() || this.owners.contains(frame.owner()))
				&& (this.types.isEmpty() || this.types.contains(frame.jobType()))
				&& (this.states.isEmpty() || this.states.contains(frame.state()));
	}

}
