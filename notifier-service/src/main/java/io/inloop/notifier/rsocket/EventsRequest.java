package io.inloop.notifier.rsocket;

import java.util.List;

import io.inloop.schemas.JobState;
import org.jspecify.annotations.Nullable;

/**
 * What a service asks {@code jobs.events} for (docs/protocol.md); every member is optional.
 *
 * @param owners whose jobs; empty means the caller's own, or everyone's with scope {@code events:all}
 * @param types only these job types
 * @param states only snapshots in these states
 * @param since resume after this cursor; for a stream of exactly one owner
 */
record EventsRequest(@Nullable List<String> owners, @Nullable List<String> types, @Nullable List<JobState> states,
		@Nullable String since) {

	static final EventsRequest ALL = new EventsRequest(null, null, null, null);

}
