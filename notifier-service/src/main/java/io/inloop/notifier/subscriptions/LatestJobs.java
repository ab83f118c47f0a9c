package io.inloop.notifier.subscriptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.inloop.notifier.delivery.JobFrame;
import io.inloop.schemas.JobLifecycle;

/**
 * The latest accepted frame of each job, by owner: the one place the state machine is applied to
 * the live feed, and the snapshots a client gets when history cannot serve it (first connection,
 * expired cursor). Holds unfinished jobs and recently finished ones, at most {@code maxJobs} of
 * them: past that, the job that finished first goes (or, when none has finished, the one silent
 * longest). Forgetting and evicting take time in proportion to the jobs they remove, not to the
 * jobs held. Not thread-safe: {@link Subscriptions} guards it.
 */
final class LatestJobs {

	private static final Comparator<JobFrame> IN_TOPIC_ORDER = Comparator
		.comparingLong((JobFrame frame) -> frame.cursor().offset());

	private final Map<String, Map<String, JobFrame>> byOwner = new HashMap<>();

	/** Unfinished jobs, the one whose latest event came first at the head. */
	private final LinkedHashMap<Key, JobFrame> unfinished = new LinkedHashMap<>();

	/** Finished jobs, in the order they finished. */
	private final LinkedHashMap<Key, JobFrame> finished = new LinkedHashMap<>();

	private final int maxJobs;

	private long evicted;

	LatestJobs(int maxJobs) {
		if (maxJobs < 1) {
			throw new IllegalArgumentException("maxJobs must be at least 1, not " + maxJobs);
		}
		this.maxJobs = maxJobs;
	}

	/** Applies the state machine; only an {@link JobLifecycle.Move#ACCEPTED accepted} frame is kept. */
	JobLifecycle.Move apply(JobFrame frame) {
		Map<String, JobFrame> owners = this.byOwner.get(frame.owner());
		JobFrame current = (owners != null) ? owners.get(frame.jobId()) : null;
		JobLifecycle.Move move = (current != null) ? frame.after(current) : JobLifecycle.Move.ACCEPTED;
		if (move != JobLifecycle.Move.ACCEPTED) {
			return move;
		}
		if (owners == null) {
			owners = new HashMap<>(4);
			this.byOwner.put(frame.owner(), owners);
		}
		owners.put(frame.jobId(), frame);
		Key key = new Key(frame.owner(), frame.jobId());
		// Removed first, so that a job's new event moves it to the tail of its order.
		this.unfinished.remove(key);
		this.finished.remove(key);
		(frame.isTerminal() ? this.finished : this.unfinished).put(key, frame);
		while (jobs() > this.maxJobs) {
			evictOne();
			this.evicted++;
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
	 * since {@code silentSince} (epoch milliseconds). Each order is read from its oldest end and
	 * only as far as it is old enough: a frame written a little out of order goes a little late.
	 */
	void forget(long finishedBefore, long silentSince) {
		forgetFrom(this.finished, finishedBefore);
		forgetFrom(this.unfinished, silentSince);
	}

	int jobs() {
		return this.unfinished.size() + this.finished.size();
	}

	/** Jobs dropped before their time because {@code maxJobs} were held. */
	long evicted() {
		return this.evicted;
	}

	private void forgetFrom(LinkedHashMap<Key, JobFrame> order, long before) {
		Iterator<JobFrame> oldestFirst = order.values().iterator();
		while (oldestFirst.hasNext()) {
			JobFrame frame = oldestFirst.next();
			if (frame.timestamp() >= before) {
				return;
			}
			oldestFirst.remove();
			removeFromOwner(frame);
		}
	}

	private void evictOne() {
		LinkedHashMap<Key, JobFrame> order = this.finished.isEmpty() ? this.unfinished : this.finished;
		Iterator<JobFrame> oldestFirst = order.values().iterator();
		JobFrame oldest = oldestFirst.next();
		oldestFirst.remove();
		removeFromOwner(oldest);
	}

	private void removeFromOwner(JobFrame frame) {
		Map<String, JobFrame> owners = this.byOwner.get(frame.owner());
		if (owners != null) {
			owners.remove(frame.jobId());
			if (owners.isEmpty()) {
				this.byOwner.remove(frame.owner());
			}
		}
	}

	private record Key(String owner, String jobId) {
	}

}
