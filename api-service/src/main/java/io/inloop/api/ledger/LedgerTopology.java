package io.inloop.api.ledger;

import java.time.Clock;
import java.time.Duration;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;

/**
 * The ledger's topology: status topic → {@link LedgerProcessor} (with the {@value #STORE} store,
 * keyed by owner and job, and its indexes: newest first per owner, finished jobs by expiry, jobs
 * across owners) →
 * the compacted {@code inloop.jobs} topic, the jobs under way to the compacted
 * {@code inloop.open-jobs}, and STALLED reports back to the status topic. The status topic is keyed by owner, so no repartitioning is needed.
 */
final class LedgerTopology implements KafkaStreamsInfrastructureCustomizer {

	static final String STORE = "ledger";

	/** An owner's jobs in listing order ({@link LedgerKeys#newestFirst}), each to its key in {@value #STORE}. */
	static final String NEWEST_FIRST = "ledger-newest-first";

	/** Jobs across owners: by id, and newest first overall, per state and per type ({@link LedgerKeys}), each to its key in {@value #STORE}. */
	static final String ACROSS_OWNERS = "ledger-across-owners";

	/** Finished jobs in the order they leave the ledger ({@link LedgerKeys#expiry}), each to its key in {@value #STORE}. */
	static final String EXPIRY = "ledger-expiry";

	static final String JOBS_SINK = "jobs";

	static final String STATUS_SINK = "stalls";

	static final String OPEN_JOBS_SINK = "open-jobs";

	/**
	 * How long the stream thread reads a status record of a schema it cannot read yet again before
	 * it fails and is replaced: well within {@code max.poll.interval.ms} (5 min), and long, since a
	 * replaced thread of a static member waits out {@code session.timeout.ms} for its partitions.
	 */
	static final Duration HOLD_IN_PLACE = Duration.ofMinutes(2);

	private static final String SOURCE = "status";

	private static final String PROCESSOR = "ledger-processor";

	private final LedgerSettings settings;

	private final LedgerCounters counters;

	private final Clock clock;

	private final @Nullable SchemaCatalog catalog;

	private final SchemaHolds holds;

	private final JobChanges changes;

	private final LeaseExpiry leases;

	private final LedgerStats stats;

	LedgerTopology(LedgerSettings settings, LedgerCounters counters, Clock clock) {
		this(settings, counters, clock, null, new SchemaHolds(), new JobChanges(), LeaseExpiry.NONE, new LedgerStats(clock));
	}

	/**
	 * Resolves newer writers' records through {@code catalog}; a hold ends once its record is read;
	 * what is published to {@code inloop.jobs} is also told to {@code changes}; what the jobs add up
	 * to, to {@code stats}.
	 */
	LedgerTopology(LedgerSettings settings, LedgerCounters counters, Clock clock, @Nullable SchemaCatalog catalog,
			SchemaHolds holds, JobChanges changes, LeaseExpiry leases, LedgerStats stats) {
		this.leases = leases;
		this.stats = stats;
		this.settings = settings;
		this.counters = counters;
		this.clock = clock;
		this.catalog = catalog;
		this.holds = holds;
		this.changes = changes;
	}

	static Serde<JobStatusChanged> jobSerde() {
		return jobSerde(null);
	}

	static Serde<JobStatusChanged> jobSerde(@Nullable SchemaCatalog catalog) {
		return Serdes.serdeFrom(new AvroSerializer<>(JobStatusChanged.class, catalog),
				(catalog != null) ? new AvroDeserializer<>(JobStatusChanged.class, catalog)
						: new AvroDeserializer<>(JobStatusChanged.class));
	}

	private static StoreBuilder<KeyValueStore<String, String>> index(String name) {
		return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
			.withCachingEnabled();
	}

	@Override
	public void configureTopology(Topology topology) {
		Serde<JobStatusChanged> jobs = jobSerde(this.catalog);
		topology.addSource(SOURCE, new StringDeserializer(),
				this.holds.holding(UnreadableStatusHandler.READER, jobs.deserializer(), HOLD_IN_PLACE), Topics.JOB_STATUS)
			.addProcessor(PROCESSOR, () -> new LedgerProcessor(this.settings, this.counters, this.clock, this.changes,
					this.leases, this.stats),
					SOURCE)
			// Cached: the many snapshots a job gets within a commit interval reach the changelog as one write
			.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), jobs)
				.withCachingEnabled(), PROCESSOR)
			.addStateStore(index(NEWEST_FIRST), PROCESSOR)
			.addStateStore(index(EXPIRY), PROCESSOR)
			.addStateStore(index(ACROSS_OWNERS), PROCESSOR)
			.addSink(JOBS_SINK, Topics.JOBS, new StringSerializer(), jobs.serializer(), PROCESSOR)
			.addSink(OPEN_JOBS_SINK, Topics.OPEN_JOBS, new StringSerializer(), jobs.serializer(), PROCESSOR)
			.addSink(STATUS_SINK, Topics.JOB_STATUS, new StringSerializer(), jobs.serializer(), PROCESSOR);
	}

}
