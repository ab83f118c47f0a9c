package io.inloop.api.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Applies each status snapshot to the latest state of its job through {@link JobLifecycle},
 * publishes what it accepts to the compacted {@code inloop.jobs} topic, and reports RUNNING jobs
 * whose heartbeats stopped as STALLED on the status topic, so their owners hear of it. A change of
 * state is published at once; a running job's progress at most every {@code progress-interval},
 * its latest only: {@code inloop.jobs} keeps the latest snapshot of each job, and the progress in
 * between would be compacted away anyway.
 */
final class LedgerProcessor implements Processor<String, JobStatusChanged, String, JobStatusChanged> {

	static final String STALL_MESSAGE = "The worker stopped responding; the job will be retried";

	private final LedgerSettings settings;

	private final LedgerCounters counters;

	private final Clock clock;

	/** Store key to last update of each RUNNING job this task owns; rebuilt from the store on start. */
	private final Map<String, Instant> running = new HashMap<>();

	/** Progress accepted and not yet published to {@code inloop.jobs}, by job id, in arrival order. */
	private final Map<String, Record<String, JobStatusChanged>> progress = new LinkedHashMap<>();

	private @Nullable ProcessorContext<String, JobStatusChanged> context;

	private @Nullable KeyValueStore<String, JobStatusChanged> jobs;

	LedgerProcessor(LedgerSettings settings, LedgerCounters counters, Clock clock) {
		this.settings = settings;
		this.counters = counters;
		this.clock = clock;
	}

	@Override
	public void init(ProcessorContext<String, JobStatusChanged> context) {
		this.context = context;
		this.jobs = context.getStateStore(LedgerTopology.STORE);
		try (KeyValueIterator<String, JobStatusChanged> all = this.jobs.all()) {
			all.forEachRemaining((entry) -> track(entry.key, entry.value));
		}
		context.schedule(this.settings.stallCheckInterval(), PunctuationType.WALL_CLOCK_TIME, (now) -> reportStalls());
		context.schedule(this.settings.progressInterval(), PunctuationType.WALL_CLOCK_TIME, (now) -> publishProgress());
	}

	@Override
	public void process(Record<String, JobStatusChanged> record) {
		JobStatusChanged event = record.value();
		if (event == null) {
			return;
		}
		String key = LedgerKeys.of(event.getOwner(), event.getJobId());
		JobStatusChanged current = this.jobs.get(key);
		if (current != null) {
			JobLifecycle.Move move = JobLifecycle.move(current, event);
			if (move != JobLifecycle.Move.ACCEPTED) {
				if (!current.equals(event)) {
					this.counters.dropped(move);
				}
				return;
			}
		}
		apply(key, current, event, record.timestamp());
	}

	private void apply(String key, @Nullable JobStatusChanged previous, JobStatusChanged event, long timestamp) {
		this.jobs.put(key, event);
		track(key, event);
		Record<String, JobStatusChanged> published = new Record<>(event.getJobId(), event, timestamp);
		if (previous != null && isProgress(previous, event)) {
			this.progress.put(event.getJobId(), published);
			return;
		}
		// Whatever progress was pending is older than this: it must not overwrite it later
		this.progress.remove(event.getJobId());
		this.context.forward(published, LedgerTopology.JOBS_SINK);
	}

	/** More of the same attempt running: progress, a message, a heartbeat. */
	private static boolean isProgress(JobStatusChanged previous, JobStatusChanged event) {
		return event.getState() == JobState.RUNNING && previous.getState() == JobState.RUNNING
				&& previous.getAttempt() == event.getAttempt();
	}

	private void publishProgress() {
		this.progress.values().forEach((pending) -> this.context.forward(pending, LedgerTopology.JOBS_SINK));
		this.progress.clear();
	}

	private void track(String key, JobStatusChanged job) {
		if (job.getState() == JobState.RUNNING) {
			this.running.put(key, job.getUpdatedAt());
		}
		else {
			this.running.remove(key);
		}
	}

	private void reportStalls() {
		Instant now = this.clock.instant();
		Instant silentSince = now.minus(this.settings.stallAfter());
		for (Iterator<Map.Entry<String, Instant>> it = this.running.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Instant> entry = it.next();
			if (entry.getValue().isBefore(silentSince)) {
				it.remove();
				stall(entry.getKey(), now);
			}
		}
	}

	private void stall(String key, Instant now) {
		JobStatusChanged current = this.jobs.get(key);
		if (current == null || current.getState() != JobState.RUNNING) {
			return;
		}
		JobStatusChanged stalled = JobSnapshots.stalled(current, STALL_MESSAGE, now);
		this.counters.stalled();
		apply(key, current, stalled, now.toEpochMilli());
		this.context.forward(new Record<>(stalled.getOwner(), stalled, now.toEpochMilli()), LedgerTopology.STATUS_SINK);
	}

}
