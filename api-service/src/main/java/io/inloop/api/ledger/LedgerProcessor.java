package io.inloop.api.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
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
 * whose heartbeats stopped as STALLED on the status topic, so their owners hear of it; a stalled job
 * that stays silent loses its lease ({@link LeaseExpiry}: its next attempt is queued). A change of
 * state is published at once; a running job's progress at most every {@code progress-interval},
 * its latest only: {@code inloop.jobs} keeps the latest snapshot of each job, and the progress in
 * between would be compacted away anyway. A finished job leaves the ledger after {@code retention},
 * and each job is indexed by submission per owner and across owners (overall, per state, per type),
 * so a list reads no more than it returns. What it publishes it also tells {@link JobChanges}.
 * <p>
 * Every job under way is also kept on the compacted {@code inloop.open-jobs} topic, with the cursor
 * of the status record it came from, and a tombstone once it finishes: what a notifier starts from
 * instead of a day of history. A STALLED report is written there when it comes back through the
 * status topic, since only then does it have a cursor.
 */
final class LedgerProcessor implements Processor<String, JobStatusChanged, String, JobStatusChanged> {

	/** Finished jobs removed per retention check at most; the rest wait for the next check. */
	static final int MAX_EXPIRED_PER_CHECK = 10_000;

	static final String STALL_MESSAGE = "The worker stopped responding; the job will be retried";

	private final LedgerSettings settings;

	private final LedgerCounters counters;

	private final Clock clock;

	private final JobChanges changes;

	/** Store key to last update of each RUNNING job this task owns; rebuilt from the store on start. */
	private final Map<String, Instant> running = new HashMap<>();

	/** Store key to when it was reported of each STALLED job this task owns whose lease is not over yet. */
	private final Map<String, Instant> stalled = new HashMap<>();

	/** Store key to when it was fenced of each job this task owns whose lease ended and whose next attempt is not seen yet. */
	private final Map<String, Instant> fenced = new HashMap<>();

	private final LeaseExpiry leases;

	/** What this task's jobs add up to, for {@link LedgerStats} while the task runs here. */
	private final TaskStats stats = new TaskStats();

	private final LedgerStats ledgerStats;

	/** Progress accepted and not yet published to {@code inloop.jobs}, by job id, in arrival order. */
	private final Map<String, Record<String, JobStatusChanged>> progress = new LinkedHashMap<>();

	private @Nullable ProcessorContext<String, JobStatusChanged> context;

	private @Nullable KeyValueStore<String, JobStatusChanged> jobs;

	private @Nullable KeyValueStore<String, String> newestFirst;

	private @Nullable KeyValueStore<String, String> expiry;

	private @Nullable KeyValueStore<String, String> acrossOwners;

	LedgerProcessor(LedgerSettings settings, LedgerCounters counters, Clock clock, JobChanges changes,
			LeaseExpiry leases, LedgerStats ledgerStats) {
		this.leases = leases;
		this.ledgerStats = ledgerStats;
		this.settings = settings;
		this.counters = counters;
		this.clock = clock;
		this.changes = changes;
	}

	@Override
	public void init(ProcessorContext<String, JobStatusChanged> context) {
		this.context = context;
		this.jobs = context.getStateStore(LedgerTopology.STORE);
		this.newestFirst = context.getStateStore(LedgerTopology.NEWEST_FIRST);
		this.expiry = context.getStateStore(LedgerTopology.EXPIRY);
		this.acrossOwners = context.getStateStore(LedgerTopology.ACROSS_OWNERS);
		try (KeyValueIterator<String, JobStatusChanged> all = this.jobs.all()) {
			all.forEachRemaining((entry) -> {
				track(entry.key, entry.value);
				this.stats.held(entry.key, entry.value);
				// A store written before its indexes existed gets them now; a no-op from then on
				index(entry.key, null, entry.value, true);
			});
		}
		this.ledgerStats.started(this.stats);
		context.schedule(this.settings.retentionCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
				(now) -> expireFinished());
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
				else if (event.getState() == JobState.STALLED) {
					// This ledger's own report, back from the status topic with a cursor at last.
					open(new Record<>(event.getJobId(), event, record.timestamp(), statusCursor()));
				}
				return;
			}
		}
		apply(key, current, event, record.timestamp());
	}

	@Override
	public void close() {
		this.ledgerStats.stopped(this.stats);
	}

	private void apply(String key, @Nullable JobStatusChanged previous, JobStatusChanged event, long timestamp) {
		this.jobs.put(key, event);
		this.stats.moved(key, previous, event);
		index(key, previous, event, false);
		track(key, event);
		Record<String, JobStatusChanged> published = new Record<>(event.getJobId(), event, timestamp, statusCursor());
		if (previous != null && isProgress(previous, event)) {
			this.progress.put(event.getJobId(), published);
			return;
		}
		// Whatever progress was pending is older than this: it must not overwrite it later
		this.progress.remove(event.getJobId());
		publish(published);
	}

	/** To {@code inloop.jobs} and {@code inloop.open-jobs}, and to whoever watches the ledger live in this process. */
	private void publish(Record<String, JobStatusChanged> published) {
		this.context.forward(published.withHeaders(new RecordHeaders()), LedgerTopology.JOBS_SINK);
		open(published);
		this.changes.published(published.value());
	}

	/** A job under way to {@code inloop.open-jobs}, a finished one as a tombstone; only with the cursor it came from. */
	private void open(Record<String, JobStatusChanged> published) {
		if (published.headers().lastHeader(Topics.STATUS_CURSOR_HEADER) == null) {
			return;
		}
		boolean finished = JobLifecycle.isTerminal(published.value().getState());
		this.context.forward(finished ? published.withValue(null) : published, LedgerTopology.OPEN_JOBS_SINK);
	}

	/** The cursor of the status record being processed, as a header; none in a punctuation. */
	private Headers statusCursor() {
		Headers headers = new RecordHeaders();
		this.context.recordMetadata()
			.filter((metadata) -> Topics.JOB_STATUS.equals(metadata.topic()))
			.ifPresent((metadata) -> headers.add(Topics.STATUS_CURSOR_HEADER,
					(metadata.partition() + "-" + metadata.offset()).getBytes(StandardCharsets.UTF_8)));
		return headers;
	}

	/** More of the same attempt running: progress, a message, a heartbeat. */
	private static boolean isProgress(JobStatusChanged previous, JobStatusChanged event) {
		return event.getState() == JobState.RUNNING && previous.getState() == JobState.RUNNING
				&& previous.getAttempt() == event.getAttempt();
	}

	private void publishProgress() {
		this.progress.values().forEach(this::publish);
		this.progress.clear();
	}

	/**
	 * Lists find a new job by its submission (per owner, and across owners overall, per type and
	 * per state), retention finds a finished one by its expiry.
	 */
	private void index(String key, @Nullable JobStatusChanged previous, JobStatusChanged event, boolean ifAbsent) {
		boolean moved = previous == null || !previous.getSubmittedAt().equals(event.getSubmittedAt());
		if (moved) {
			if (previous != null) {
				// Writers copy submittedAt; one that did not moves the job in the listing, as the list sorts by the latest
				this.newestFirst.delete(LedgerKeys.newestFirst(previous.getOwner(), previous.getSubmittedAt(), previous.getJobId()));
				this.acrossOwners.delete(LedgerKeys.all(previous));
				this.acrossOwners.delete(LedgerKeys.ofType(previous));
			}
			put(this.newestFirst, LedgerKeys.newestFirst(event.getOwner(), event.getSubmittedAt(), event.getJobId()), key,
					ifAbsent);
			put(this.acrossOwners, LedgerKeys.byId(event.getJobId()), key, ifAbsent);
			put(this.acrossOwners, LedgerKeys.all(event), key, ifAbsent);
			put(this.acrossOwners, LedgerKeys.ofType(event), key, ifAbsent);
		}
		if (previous == null || moved || previous.getState() != event.getState()) {
			if (previous != null) {
				this.acrossOwners.delete(LedgerKeys.ofState(previous));
			}
			put(this.acrossOwners, LedgerKeys.ofState(event), key, ifAbsent);
		}
		if (JobLifecycle.isTerminal(event.getState())) {
			put(this.expiry, LedgerKeys.expiry(expiresAt(event), key), key, ifAbsent);
		}
	}

	private static void put(KeyValueStore<String, String> index, String key, String value, boolean ifAbsent) {
		if (ifAbsent) {
			index.putIfAbsent(key, value);
		}
		else {
			index.put(key, value);
		}
	}

	private Instant expiresAt(JobStatusChanged finished) {
		Instant finishedAt = (finished.getFinishedAt() != null) ? finished.getFinishedAt() : finished.getUpdatedAt();
		return finishedAt.plus(this.settings.retention());
	}

	/**
	 * Finished jobs past their retention leave the store, its indexes and (as tombstones, which
	 * compaction then drops) {@code inloop.jobs}; a bounded batch per check, so the stream thread
	 * never stops processing for long.
	 */
	private void expireFinished() {
		List<KeyValue<String, String>> due = new ArrayList<>();
		try (KeyValueIterator<String, String> expired = this.expiry.range(LedgerKeys.expiry(Instant.EPOCH, ""),
				LedgerKeys.afterExpiry(this.clock.instant()))) {
			while (expired.hasNext() && due.size() < MAX_EXPIRED_PER_CHECK) {
				due.add(expired.next());
			}
		}
		long now = this.clock.millis();
		for (KeyValue<String, String> entry : due) {
			this.expiry.delete(entry.key);
			JobStatusChanged job = this.jobs.delete(entry.value);
			if (job == null) {
				continue;
			}
			this.stats.removed(entry.value, job);
			this.newestFirst.delete(LedgerKeys.newestFirst(job.getOwner(), job.getSubmittedAt(), job.getJobId()));
			this.acrossOwners.delete(LedgerKeys.byId(job.getJobId()));
			this.acrossOwners.delete(LedgerKeys.all(job));
			this.acrossOwners.delete(LedgerKeys.ofType(job));
			this.acrossOwners.delete(LedgerKeys.ofState(job));
			this.progress.remove(job.getJobId());
			this.running.remove(entry.value);
			this.stalled.remove(entry.value);
			this.fenced.remove(entry.value);
			this.counters.expired();
			this.context.forward(new Record<String, JobStatusChanged>(job.getJobId(), null, now), LedgerTopology.JOBS_SINK);
		}
	}

	private void track(String key, JobStatusChanged job) {
		this.running.remove(key);
		this.stalled.remove(key);
		this.fenced.remove(key);
		if (job.getState() == JobState.RUNNING) {
			this.running.put(key, job.getUpdatedAt());
		}
		else if (job.getState() == JobState.STALLED) {
			this.stalled.put(key, job.getUpdatedAt());
		}
		else if (isFence(job)) {
			this.fenced.put(key, job.getUpdatedAt());
		}
	}

	/** The fence of a lease that ended with a next attempt to come ({@link JobSnapshots#leaseLost}). */
	private static boolean isFence(JobStatusChanged job) {
		return job.getState() == JobState.RETRYING && job.getSequence() == JobLifecycle.LAST_SEQUENCE;
	}

	/**
	 * Running jobs silent for {@code stall-after} are reported {@code STALLED}; stalled jobs silent
	 * for {@code requeue-after} more have lost their lease, which {@link LeaseExpiry} acts on once;
	 * and a fence not followed by the next attempt for {@code requeue-after} is told to it once too.
	 */
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
		Instant stalledBefore = now.minus(this.settings.requeueAfter());
		for (Iterator<Map.Entry<String, Instant>> it = this.stalled.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Instant> entry = it.next();
			if (entry.getValue().isBefore(stalledBefore)) {
				it.remove();
				JobStatusChanged current = this.jobs.get(entry.getKey());
				if (current != null && current.getState() == JobState.STALLED) {
					this.counters.leaseExpired();
					this.leases.expired(current);
				}
			}
		}
		for (Iterator<Map.Entry<String, Instant>> it = this.fenced.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Instant> entry = it.next();
			if (entry.getValue().isBefore(stalledBefore)) {
				it.remove();
				JobStatusChanged current = this.jobs.get(entry.getKey());
				if (current != null && isFence(current)) {
					this.leases.nextAttemptUnseen(current);
				}
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
