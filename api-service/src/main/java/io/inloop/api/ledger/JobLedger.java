package io.inloop.api.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.Predicate;

import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * What every job is doing now, read from the ledger's state store, and only while the store is
 * up to date, so that "no such job" is never said by a ledger that is still starting,
 * rebalancing or restoring; then the answer is {@link LedgerUnavailableException} (503). Each
 * instance holds some of the ledger's partitions: a read for an owner whose partition another
 * instance holds is {@link LedgerElsewhereException}, which {@link PeerForwarding} asks that
 * instance. Reads block on the local store: call them off the event loop.
 */
@Component
public class JobLedger {

	/** Listing order, the order of the newest-first index: newest submission first, then by job id. */
	private static final Comparator<JobStatusChanged> NEWEST_FIRST = Comparator
		.comparing(JobStatusChanged::getSubmittedAt, Comparator.reverseOrder())
		.thenComparing(JobStatusChanged::getJobId);

	/** Index entries an operator's page reads at most per job it asks for, whatever its filters skip. */
	static final int SCAN_PER_JOB = 10;

	private static final Logger logger = LoggerFactory.getLogger(JobLedger.class);

	/**
	 * How the status topic's keys, the owners, are written: with the producer's default partitioner
	 * on these bytes, which Kafka Streams' default for {@code queryMetadataForKey} matches.
	 */
	private static final Serializer<String> OWNERS = new StringSerializer();

	private final LedgerStats stats;

	private final StreamsBuilderFactoryBean streams;

	/** This instance as the others reach it, as it told Kafka Streams ({@code application.server}). */
	private final HostInfo self;

	/** Jobs this instance accepted that the ledger may not have processed yet (read your writes). */
	private final RecentSubmissions justSubmitted;

	/** Store entries each list read: with the newest-first index, about its limit, whatever the owner's history. */
	private final DistributionSummary listReads;

	/** Store entries each list across owners read: at most {@value #SCAN_PER_JOB} × 2 × its limit. */
	private final DistributionSummary acrossOwnersReads;

	JobLedger(StreamsBuilderFactoryBean streams, LedgerSettings settings, MeterRegistry meters) {
		this(streams, settings, meters, new LedgerStats());
	}

	@Autowired
	JobLedger(StreamsBuilderFactoryBean streams, LedgerSettings settings, MeterRegistry meters, LedgerStats stats) {
		this.streams = streams;
		this.stats = stats;
		this.self = HostInfo.buildFromEndpoint(settings.advertisedAddress());
		this.justSubmitted = new RecentSubmissions(settings.readYourWrites(), settings.readYourWritesMax(),
				Clock.systemUTC());
		this.listReads = DistributionSummary.builder("inloop.ledger.list.reads")
			.description("Ledger store entries read per list of an owner's jobs")
			.register(meters);
		this.acrossOwnersReads = DistributionSummary.builder("inloop.ledger.admin-list.reads")
			.description("Ledger store entries read per list of jobs across owners")
			.register(meters);
		Gauge.builder("inloop.ledger.read-your-writes", this.justSubmitted, RecentSubmissions::size)
			.description("Just-submitted jobs answered from memory until the ledger has them")
			.register(meters);
	}

	/**
	 * The job, if it exists and belongs to {@code owner}. A job this instance just accepted is
	 * answered from memory while the ledger has not got it, whether it lags or is not serving.
	 * @throws LedgerElsewhereException if another instance holds the owner's partition
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public Optional<JobStatusChanged> find(String owner, String jobId) {
		String key = LedgerKeys.of(owner, jobId);
		JobStatusChanged job;
		try {
			job = read(owner, (stores) -> stores.jobs().get(key));
		}
		catch (LedgerElsewhereException ex) {
			// The holder answers, but may not have got yet what this instance just accepted
			JobStatusChanged submitted = this.justSubmitted.get(owner, key);
			throw (submitted != null) ? ex.expecting(new NotYetHeld.Job(submitted)) : ex;
		}
		catch (LedgerUnavailableException ex) {
			JobStatusChanged submitted = this.justSubmitted.get(owner, key);
			if (submitted == null) {
				throw ex;
			}
			return Optional.of(submitted);
		}
		if (job != null) {
			this.justSubmitted.stored(owner, key);
			return Optional.of(job);
		}
		return Optional.ofNullable(this.justSubmitted.get(owner, key));
	}

	/**
	 * The owner's jobs, newest first, optionally of one state and type: read from the newest-first
	 * index until {@code limit} match, so a list without filters reads about {@code limit} jobs
	 * (a filter reads on past the jobs it skips).
	 * @throws LedgerElsewhereException if another instance holds the owner's partition
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public List<JobStatusChanged> list(String owner, @Nullable JobState state, @Nullable String type, int limit) {
		Predicate<JobStatusChanged> wanted = (job) -> (state == null || job.getState() == state)
				&& (type == null || job.getType().equals(type));
		List<JobStatusChanged> jobs;
		try {
			jobs = listHere(owner, wanted, limit);
		}
		catch (LedgerElsewhereException ex) {
			// The holder answers, but may not have got yet what this instance just accepted. Not with
			// a state: memory's QUEUED cannot say whether a job the holder left out is in it now.
			List<JobStatusChanged> submitted = this.justSubmitted.of(owner)
				.stream()
				.map(Map.Entry::getValue)
				.filter(wanted)
				.toList();
			throw (state == null && !submitted.isEmpty()) ? ex.expecting(new NotYetHeld.Jobs(submitted, limit)) : ex;
		}
		return jobs.stream().sorted(NEWEST_FIRST).limit(limit).toList();
	}

	private List<JobStatusChanged> listHere(String owner, Predicate<JobStatusChanged> wanted, int limit) {
		return read(owner, (stores) -> {
			List<JobStatusChanged> found = new ArrayList<>();
			int reads = 0;
			try (KeyValueIterator<String, String> newest = stores.newestFirst()
				.range(LedgerKeys.prefix(owner), LedgerKeys.afterPrefix(owner))) {
				while (found.size() < limit && newest.hasNext()) {
					JobStatusChanged job = stores.jobs().get(newest.next().value);
					reads += 2;
					if (job != null && wanted.test(job)) {
						found.add(job);
					}
				}
			}
			// Jobs accepted here that the ledger may not have yet; those it has leave memory
			for (Map.Entry<String, JobStatusChanged> recent : this.justSubmitted.of(owner)) {
				reads++;
				if (stores.jobs().get(recent.getKey()) != null) {
					this.justSubmitted.stored(owner, recent.getKey());
				}
				else if (wanted.test(recent.getValue())) {
					found.add(recent.getValue());
				}
			}
			this.listReads.record(reads);
			return found;
		});
	}

	/**
	 * Any owner's job by its id alone, for operators. The id does not say which partition holds
	 * the job: one this instance does not hold may be on any other.
	 * @throws LedgerElsewhereException if this instance does not have it and others hold partitions
	 * (a request another instance forwarded is then answered 404)
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public Optional<JobStatusChanged> findAnyOwner(String jobId) {
		JobStatusChanged job = read(null, (stores) -> {
			String key = stores.acrossOwners().get(LedgerKeys.byId(jobId));
			return (key != null) ? stores.jobs().get(key) : null;
		});
		if (job != null) {
			return Optional.of(job);
		}
		List<HostInfo> others = otherInstances();
		if (!others.isEmpty()) {
			throw new LedgerElsewhereException(others, ApiProblem.JOB_NOT_FOUND.exception("No job " + jobId));
		}
		return Optional.empty();
	}

	/**
	 * What the jobs of this instance's partitions add up to ({@link LedgerStats}), to be added to
	 * the other instances' figures.
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public QueueStats.Builder statsHere() {
		return read(null, (stores) -> this.stats.here());
	}

	/**
	 * The other instances that hold some of the ledger's partitions now, each as it advertised
	 * itself ({@code inloop.ledger.advertised-address}).
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public List<HostInfo> otherInstances() {
		KafkaStreams kafkaStreams = this.streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new LedgerUnavailableException("not started");
		}
		try {
			return kafkaStreams.streamsMetadataForStore(LedgerTopology.STORE)
				.stream()
				.filter((instance) -> instance.stateStoreNames().contains(LedgerTopology.STORE))
				.map(StreamsMetadata::hostInfo)
				.filter((host) -> !this.self.equals(host))
				.distinct()
				.toList();
		}
		catch (InvalidStateStoreException | IllegalStateException ex) {
			throw new LedgerUnavailableException(ex);
		}
	}

	/**
	 * A page of jobs across owners, newest submission first, for operators: walks the index that
	 * serves the query best ({@link JobQuery#indexPrefix}) from the cursor on, within the time range,
	 * until the page is full or {@value #SCAN_PER_JOB} × {@code limit} entries were read, so a page
	 * costs at most that whatever the filters skip; the next page goes on from the last entry read.
	 * Jobs just accepted that the ledger has not processed yet are not listed (they are a moment later).
	 * With an owner, the instance that holds the owner's partition answers; without, the partitions
	 * this instance holds.
	 * @throws IllegalArgumentException if the cursor is not one of this query's
	 * @throws LedgerElsewhereException if another instance holds the partition of the query's owner
	 * @throws LedgerUnavailableException if the ledger cannot say right now
	 */
	public JobPage listAcrossOwners(JobQuery query) {
		String prefix = query.indexPrefix();
		String start = (query.to() != null) ? LedgerKeys.submittedAtOrBefore(prefix, query.to()) : prefix;
		String end = (query.from() != null) ? LedgerKeys.afterSubmittedAtOrAfter(prefix, query.from())
				: LedgerKeys.afterAll(prefix);
		if (query.after() != null) {
			String after = decodeCursor(query.after());
			if (!after.startsWith(prefix)) {
				throw new IllegalArgumentException("The cursor belongs to a list with other filters");
			}
			// The smallest key after the last one read
			start = (after.compareTo(start) >= 0) ? after + Character.MIN_VALUE : start;
		}
		String from = start;
		int budget = SCAN_PER_JOB * query.limit();
		return read(query.owner(), (stores) -> {
			// An owner's jobs are all in the partition of their owner; the others are in every
			// partition, each partition's store in key order, so they are merged into one order
			List<ReadOnlyKeyValueStore<String, String>> indexes = (query.owner() != null) ? List.of(stores.newestFirst())
					: stores.acrossOwnersPerPartition();
			List<JobStatusChanged> found = new ArrayList<>();
			String last = null;
			int scanned = 0;
			boolean more;
			try (MergedEntries entries = new MergedEntries(indexes, from, end)) {
				while (found.size() < query.limit() && scanned < budget && entries.hasNext()) {
					KeyValue<String, String> entry = entries.next();
					scanned++;
					last = entry.key;
					JobStatusChanged job = stores.jobs().get(entry.value);
					// An entry of a state the job has left, in a moment between two writes, is skipped
					if (job != null && query.matches(job)) {
						found.add(job);
					}
				}
				more = entries.hasNext();
			}
			this.acrossOwnersReads.record(2.0 * scanned);
			return new JobPage(found, (more && last != null) ? encodeCursor(last) : null);
		});
	}

	/**
	 * The entries of several stores' {@code range(from, end)}, each in key order, as one iteration in
	 * key order (a store per partition: Kafka Streams' own view of them all goes one partition after
	 * another, so newest first would hold only within a partition and a cursor would skip jobs).
	 */
	private static final class MergedEntries implements AutoCloseable {

		private final List<KeyValueIterator<String, String>> iterators = new ArrayList<>();

		private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head head) -> head.entry().key));

		MergedEntries(List<ReadOnlyKeyValueStore<String, String>> stores, String from, String end) {
			try {
				for (ReadOnlyKeyValueStore<String, String> store : stores) {
					KeyValueIterator<String, String> iterator = store.range(from, end);
					this.iterators.add(iterator);
					advance(iterator);
				}
			}
			catch (RuntimeException ex) {
				close();
				throw ex;
			}
		}

		boolean hasNext() {
			return !this.heads.isEmpty();
		}

		KeyValue<String, String> next() {
			Head head = this.heads.remove();
			advance(head.iterator());
			return head.entry();
		}

		private void advance(KeyValueIterator<String, String> iterator) {
			if (iterator.hasNext()) {
				this.heads.add(new Head(iterator.next(), iterator));
			}
		}

		@Override
		public void close() {
			this.iterators.forEach(KeyValueIterator::close);
		}

		private record Head(KeyValue<String, String> entry, KeyValueIterator<String, String> iterator) {
		}

	}

	static String encodeCursor(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	static String decodeCursor(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The cursor is not one this API gave out");
		}
	}

	/** Remembers a job this instance just accepted until the ledger has it. */
	public void submitted(JobStatusChanged queued) {
		this.justSubmitted.add(queued);
	}

	/** The instance that holds the job's partition has it: memory need not answer for it any more. */
	void heldElsewhere(JobStatusChanged job) {
		this.justSubmitted.stored(job.getOwner(), LedgerKeys.of(job.getOwner(), job.getJobId()));
	}

	/** Just-submitted jobs held in memory now. */
	int recentlySubmitted() {
		return this.justSubmitted.size();
	}

	/**
	 * Runs {@code query} on the ledger's store, for {@code owner}'s jobs only on the instance that
	 * holds their partition. Kafka Streams answers only while every stream thread is RUNNING, that
	 * is with every partition it was given restored, so a miss is a real miss; whatever it says
	 * while it cannot serve, from the store lookup to the last step of an iteration, becomes a 503.
	 */
	private <T> T read(@Nullable String owner, Function<Stores, T> query) {
		KafkaStreams kafkaStreams = this.streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new LedgerUnavailableException("not started");
		}
		try {
			if (owner != null) {
				requireHeldHere(kafkaStreams, owner);
			}
			return query.apply(new Stores(
					kafkaStreams.store(StoreQueryParameters.fromNameAndType(LedgerTopology.STORE,
							QueryableStoreTypes.<String, JobStatusChanged>keyValueStore())),
					kafkaStreams.store(StoreQueryParameters.fromNameAndType(LedgerTopology.NEWEST_FIRST,
							QueryableStoreTypes.<String, String>keyValueStore())),
					kafkaStreams.store(StoreQueryParameters.fromNameAndType(LedgerTopology.ACROSS_OWNERS,
							QueryableStoreTypes.<String, String>keyValueStore())),
					kafkaStreams));
		}
		catch (InvalidStateStoreException | IllegalStateException ex) {
			// Starting, rebalancing or restoring; IllegalStateException once Kafka Streams is
			// shutting down or has failed.
			logger.debug("Ledger not serving ({}): {}", kafkaStreams.state(), ex.toString());
			throw new LedgerUnavailableException(ex);
		}
	}

	/**
	 * The owner's jobs are in the partition of the status topic that the owner, its key, goes to,
	 * and so in the task of that partition: only its active instance answers for them (a standby,
	 * or the instance it was moved from, may lag).
	 */
	private void requireHeldHere(KafkaStreams kafkaStreams, String owner) {
		KeyQueryMetadata where = kafkaStreams.queryMetadataForKey(LedgerTopology.STORE, owner, OWNERS);
		if (where == null || KeyQueryMetadata.NOT_AVAILABLE.equals(where)
				|| HostInfo.unavailable().equals(where.activeHost())) {
			throw new LedgerUnavailableException("without an active instance for the partition");
		}
		if (!this.self.equals(where.activeHost())) {
			throw new LedgerElsewhereException(where.activeHost());
		}
	}

	private record Stores(ReadOnlyKeyValueStore<String, JobStatusChanged> jobs,
			ReadOnlyKeyValueStore<String, String> newestFirst, ReadOnlyKeyValueStore<String, String> acrossOwners,
			KafkaStreams streams) {

		/** {@link #acrossOwners} one partition at a time, each in key order (the whole one goes partition after partition). */
		List<ReadOnlyKeyValueStore<String, String>> acrossOwnersPerPartition() {
			return this.streams.metadataForLocalThreads()
				.stream()
				.flatMap((thread) -> thread.activeTasks().stream())
				.map((task) -> task.taskId().partition())
				.distinct()
				.sorted()
				.map((partition) -> this.streams.store(StoreQueryParameters
					.fromNameAndType(LedgerTopology.ACROSS_OWNERS, QueryableStoreTypes.<String, String>keyValueStore())
					.withPartition(partition)))
				.toList();
		}

	}

}
