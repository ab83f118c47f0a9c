package io.inloop.api.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * What every job is doing now, read from the ledger's state store, and only while the store is
 * up to date, so that "no such job" is never said by a ledger that is still starting,
 * rebalancing or restoring; then the answer is {@link LedgerUnavailableException} (503). Reads
 * block on the local store: call them off the event loop.
 */
@Component
public class JobLedger {

	private static final Comparator<JobStatusChanged> NEWEST_FIRST = Comparator
		.comparing(JobStatusChanged::getSubmittedAt)
		.thenComparing(JobStatusChanged::getJobId)
		.reversed();

	private static final Logger logger = LoggerFactory.getLogger(JobLedger.class);

	private final StreamsBuilderFactoryBean streams;

	private final LedgerSettings settings;

	private final Clock clock = Clock.systemUTC();

	/** Jobs this instance accepted that the ledger may not have processed yet (read your writes). */
	private final Map<String, JobStatusChanged> justSubmitted = new ConcurrentHashMap<>();

	JobLedger(StreamsBuilderFactoryBean streams, LedgerSettings settings) {
		this.streams = streams;
		this.settings = settings;
	}

	/**
	 * The job, if it exists and belongs to {@code owner}. A job this instance just accepted is
	 * answered from memory while the ledger has not got it, whether it lags or is not serving.
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public Optional<JobStatusChanged> find(String owner, String jobId) {
		String key = LedgerKeys.of(owner, jobId);
		JobStatusChanged job;
		try {
			job = read((store) -> store.get(key));
		}
		catch (LedgerUnavailableException ex) {
			JobStatusChanged submitted = recentlySubmitted(key);
			if (submitted == null) {
				throw ex;
			}
			return Optional.of(submitted);
		}
		if (job != null) {
			this.justSubmitted.remove(key);
			return Optional.of(job);
		}
		return Optional.ofNullable(recentlySubmitted(key));
	}

	/**
	 * The owner's jobs, newest first, optionally of one state and type.
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public List<JobStatusChanged> list(String owner, @Nullable JobState state, @Nullable String type, int limit) {
		List<JobStatusChanged> jobs = read((store) -> {
			List<JobStatusChanged> all = new ArrayList<>();
			try (KeyValueIterator<String, JobStatusChanged> range = store.range(LedgerKeys.prefix(owner),
					LedgerKeys.afterPrefix(owner))) {
				range.forEachRemaining((entry) -> all.add(entry.value));
			}
			return all;
		});
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

	/**
	 * Runs {@code query} on the ledger's store. Kafka Streams answers only while every stream
	 * thread is RUNNING, that is with every partition it was given restored, so a miss is a real
	 * miss; whatever it says while it cannot serve, from the store lookup to the last step of an
	 * iteration, becomes a 503.
	 */
	private <T> T read(Function<ReadOnlyKeyValueStore<String, JobStatusChanged>, T> query) {
		KafkaStreams kafkaStreams = this.streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new LedgerUnavailableException("not started");
		}
		try {
			return query.apply(kafkaStreams.store(StoreQueryParameters.fromNameAndType(LedgerTopology.STORE,
					QueryableStoreTypes.<String, JobStatusChanged>keyValueStore())));
		}
		catch (InvalidStateStoreException | IllegalStateException ex) {
			// Starting, rebalancing or restoring; IllegalStateException once Kafka Streams is
			// shutting down or has failed.
			logger.debug("Ledger not serving ({}): {}", kafkaStreams.state(), ex.toString());
			throw new LedgerUnavailableException(ex);
		}
	}

}
