package io.inloop.notifier.subscriptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.inloop.notifier.delivery.JobFrame;
import io.inloop.schemas.JobLifecycle;

/**
 * The latest accepted frame of each job, by owner: the one place the state machine is applied to
 * the live feed, and the snapshots a client gets when history cannot serve it (first connection,
 * expired cursor). Holds unfinished jobs and recently finished ones. Not thread-safe:
 * {@link Subscriptions} guards it.
 */
final class LatestJobs {

	private static final Comparator<JobFrame> IN_TOPIC_ORDER = Comparator
		.comparingLong((JobFrame frame) -> frame.cursor().offset());

	private final Map<String, Map<String, JobFrame>> byOwner = new HashMap<>();

	private int jobs;

	/** Applies the state machine; only an {@link JobLifecycle.Move#ACCEPTED accepted} frame is kept. */
	JobLifecycle.Move apply(JobFrame frame) {
		Map<String, JobFrame> owners = this.byOwner.computeIfAbsent(frame.owner(), (owner) -> new HashMap<>(4));
		JobFrame current = owners.get(frame.jobId());
		JobLifecycle.Move move = (current != null) ? frame.after(current) : JobLifecycle.Move.ACCEPTED;
		if (move == JobLifecycle.Move.ACCEPTED) {
			if (owners.put(frame.jobId(), frame) == null) {
				this.jobs++;
			}
		}
		return move;
	}

	/** The latest frame of each of {@code owner}'s known jobs, in topic order. */
	List<JobFrame> of(String owner, Audience audience) {
		Map<String, JobFrame> owners = this.byOwner.get(owner);
		if (owners == null) {
			return List.of();
		}
		List<JobFrame> frames = new ArrayList<>(owners.size());
		for (JobFrame frame : owners.values()) {
			if (audience.accepts(frame)) {
				frames.add(frame);
			}
		}
		frames.sort(IN_TOPIC_ORDER);
		return frames;
	}

	/**
	 * Forgets jobs finished before {@code finishedBefore}, and unfinished jobs without an event
	 * since {@code silentSince} (epoch milliseconds).
	 */
	void forget(long finishedBefore, long silentSince) {
		this.byOwner.values().removeIf((owners) -> {
			owners.values().removeIf((frame) -> {
				boolean forgotten = frame.isTerminal() ? frame.timestamp() < finishedBefore
						: frame.timestamp() < silentSince;
				if (forgotten) {
					this.jobs--;
				}
				return forgotten;
			});
			return owners.isEmpty();
		});
	}

	int jobs() {
		return this.jobs;
	}

}
