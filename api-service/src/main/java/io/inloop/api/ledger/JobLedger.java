package io.inloop.api.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.stereotype.Component;

/**
 * What every job is doing now, read from the ledger's state store. Reads block on the local
 * store: call them off the event loop.
 */
@Component
public class JobLedger {

	private static final Comparator<JobStatusChanged> NEWEST_FIRST = Comparator
		.comparing(JobStatusChanged::getSubmittedAt)
		.thenComparing(JobStatusChanged::getJobId)
		.reversed();

	private final KafkaStreamsInteractiveQueryService queries;

	private final LedgerSettings settings;

	private final Clock clock = Clock.systemUTC();

	/** Jobs this instance accepted that the ledger may not have processed yet (read your writes). */
	private final Map<String, JobStatusChanged> justSubmitted = new ConcurrentHashMap<>();

	JobLedger(KafkaStreamsInteractiveQueryService queries, LedgerSettings settings) {
		this.queries = queries;
		this.settings = settings;
	}

	/** The job, if it exists and belongs to {@code owner}. */
	public Optional<JobStatusChanged> find(String owner, String jobId) {
		JobStatusChanged job = store().get(LedgerKeys.of(owner, jobId));
		if (job != null) {
			this.justSubmitted.remove(LedgerKeys.of(owner, jobId));
			return Optional.of(job);
		}
		return Optional.ofNullable(recentlySubmitted(LedgerKeys.of(owner, jobId)));
	}

	/** The owner's jobs, newest first, optionally of one state and type. */
	public List<JobStatusChanged> list(String owner, @Nullable JobState state, @Nullable String type, int limit) {
		List<JobStatusChanged> jobs = new ArrayList<>();
		try (KeyValueIterator<String, JobStatusChanged> all = store().range(LedgerKeys.prefix(owner),
				LedgerKeys.afterPrefix(owner))) {
			all.forEachRemaining((entry) -> jobs.add(entry.value));
		}
		this.justSubmitted.forEach((key, job) -> {
			if (job.getOwner().equals(owner) && jobs.stream().noneMatch((known) -> known.getJobId().equals(job.getJobId()))
					&& recentlySubmitted(key) != null) {
				jobs.add(job);
			}
		});
		return jobs.stream()
			.filter((job) -> state == null || job.getState() == state)
			.filter((job) -> type == null || job.getType().equals(type))
			.sorted(NEWEST_FIRST)
			.limit(limit)
			.toList();
	}

	/** Remembers a job this instance just accepted until the ledger has it. */
	public void submitted(JobStatusChanged queued) {
		this.justSubmitted.put(LedgerKeys.of(queued.getOwner(), queued.getJobId()), queued);
	}

	private @Nullable JobStatusChanged recentlySubmitted(String key) {
		JobStatusChanged job = this.justSubmitted.get(key);
		if (job == null) {
			return null;
		}
		Instant expiry = job.getUpdatedAt().plus(this.settings.readYourWrites());
		if (this.clock.instant().isAfter(expiry)) {
			this.justSubmitted.remove(key);
			return null;
		}
		return job;
	}

	private ReadOnlyKeyValueStore<String, JobStatusChanged> store() {
		try {
			return this.queries.retrieveQueryableStore(LedgerTopology.STORE, QueryableStoreTypes.keyValueStore());
		}
		catch (RuntimeException ex) {
			throw new LedgerUnavailableException(ex);
		}
	}

}
