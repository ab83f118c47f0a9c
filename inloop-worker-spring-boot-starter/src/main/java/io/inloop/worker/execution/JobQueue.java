package io.inloop.worker.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker's side of the command queue: {@code inloop.worker.concurrency} job slots, filled by a
 * few share consumers of the workers' share group ({@link CommandFetcher}): one that fetches a
 * command at a time, for the last free slots, and one that fetches up to
 * {@link WorkerSettings.Queue#fetchBatch() fetch-batch} at a time when that many slots are free.
 * Any free slot of any worker takes the next command, whatever runs elsewhere; a worker is two
 * members of the group, not one per slot, so the group's member cap (200 by default) allows a
 * hundred workers. Before the first fetcher joins, the group is set up to start at the earliest
 * command and to count deliveries as the fetchers expect.
 */
@Component
class JobQueue implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(JobQueue.class);

	/** After the cancellation reader, so that the first command already knows what was cancelled. */
	private static final int PHASE = Integer.MAX_VALUE - 100;

	/** Time for the last snapshots after the jobs' grace period. */
	private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

	private final WorkerSettings settings;

	private final JobRunner runner;

	private final Settlement settlement;

	private final JobTracing tracing;

	private final Map<String, Object> consumerConfig;

	private final Admin admin;

	private final Slots slots;

	private final List<CommandFetcher> fetchers = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	private final SchemaCatalog catalog;

	private final SchemaHolds holds;

	JobQueue(WorkerSettings settings, JobRunner runner, Settlement settlement, JobTracing tracing,
			KafkaProperties kafka, Admin admin, SchemaCatalog catalog, SchemaHolds holds) {
		this.catalog = catalog;
		this.holds = holds;
		this.settings = settings;
		this.runner = runner;
		this.settlement = settlement;
		this.tracing = tracing;
		this.admin = admin;
		this.slots = new Slots(settings.concurrency());
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
		config.putAll(connectionSettings(kafka));
		config.putAll(settings.queue().consumer());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.WORKER_GROUP);
		// A fetcher acknowledges each command itself, once its attempt has started, and is given no
		// more commands than it asks for (max.poll.records, set per fetcher)
		config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
		config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
		this.consumerConfig = config;
	}

	/** How many commands each fetcher asks for at once: one, and the batch when there is room for it. */
	static List<Integer> fetchSizes(int concurrency, int fetchBatch) {
		int batch = Math.min(fetchBatch, concurrency / 2);
		return (batch >= 1) ? List.of(1, batch) : List.of(1);
	}

	/**
	 * How the slots reach the cluster, from {@code spring.kafka.*}: the security protocol, TLS and
	 * SASL settings. Nothing else of Boot's consumer settings: a share consumer refuses many of them
	 * ({@code auto.offset.reset}, {@code enable.auto.commit}, {@code isolation.level}, ...).
	 */
	static Map<String, Object> connectionSettings(KafkaProperties kafka) {
		Map<String, Object> connection = new HashMap<>();
		kafka.buildConsumerProperties().forEach((key, value) -> {
			if (key.startsWith("security.") || key.startsWith("ssl.") || key.startsWith("sasl.")) {
				connection.put(key, value);
			}
		});
		return connection;
	}

	@Override
	public void start() {
		configureGroup();
		warnOfSplitQueue();
		this.slots.open();
		for (int size : fetchSizes(this.settings.concurrency(), this.settings.queue().fetchBatch())) {
			Map<String, Object> config = new HashMap<>(this.consumerConfig);
			config.put(ConsumerConfig.CLIENT_ID_CONFIG, "inloop-worker-fetch-" + size);
			config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, size);
			CommandFetcher fetcher = new CommandFetcher(
					new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()), size,
					this.slots, this.runner, this.settlement, this.tracing,
					new AvroDeserializer<>(SubmitJob.class, this.catalog), this.holds, this.settings.queue().renewEvery());
			Thread thread = new Thread(fetcher, "job-fetch-" + size);
			this.fetchers.add(fetcher);
			this.threads.add(thread);
			thread.start();
		}
		this.running = true;
		logger.info("Taking jobs from " + Topics.JOB_COMMANDS + " into " + this.slots.total() + " slot(s)");
	}

	/**
	 * The share group's settings, set on every start (idempotent): a new group starts at the
	 * earliest command, not the latest; locks last {@code lock-duration}; a command is delivered at
	 * most {@code delivery-limit} times.
	 */
	private void configureGroup() {
		WorkerSettings.Queue queue = this.settings.queue();
		ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, Topics.WORKER_GROUP);
		Collection<AlterConfigOp> settings = List.of(set("share.auto.offset.reset", "earliest"),
				set("share.record.lock.duration.ms", Long.toString(queue.lockDuration().toMillis())),
				set("share.delivery.count.limit", Integer.toString(queue.deliveryLimit())),
				set("share.renew.acknowledge.enable", "true"));
		try {
			this.admin.incrementalAlterConfigs(Map.of(group, settings)).all().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("Could not configure the share group " + Topics.WORKER_GROUP
					+ " (share groups need Kafka 4.2 or later): " + ex.getMessage(), ex);
		}
	}

	/**
	 * A command topic made by an older release may have several partitions: it works, but each slot
	 * is given only some of them (see {@link Topics#COMMAND_PARTITIONS}).
	 */
	private void warnOfSplitQueue() {
		try {
			int partitions = this.admin.describeTopics(List.of(Topics.JOB_COMMANDS))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(Topics.JOB_COMMANDS)
				.partitions()
				.size();
			if (partitions > Topics.COMMAND_PARTITIONS) {
				logger.warn(Topics.JOB_COMMANDS + " has " + partitions + " partitions: with fewer workers than partitions, "
						+ "the share group gives each worker only some of them, and a busy worker's partitions wait while "
						+ "another worker is idle; recreate it with " + Topics.COMMAND_PARTITIONS
						+ " once drained (docs/operations.md)");
			}
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.debug("Could not describe " + Topics.JOB_COMMANDS + ": " + ex.getMessage());
		}
	}

	private static AlterConfigOp set(String name, String value) {
		return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
	}

	/**
	 * Takes no more commands, and waits for the jobs running to end, or to be handed back once
	 * {@code shutdown-grace} is over, and for what they write then: only after that may the producer
	 * and the timers go.
	 */
	@Override
	public void stop() {
		this.slots.close();
		this.fetchers.forEach(CommandFetcher::stop);
		long deadline = System.nanoTime() + this.settings.shutdownGrace().plus(STOP_MARGIN).toNanos();
		try {
			for (Thread thread : this.threads) {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
			if (!this.slots.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				logger.warn(this.slots.busy() + " job(s) still running after the shutdown grace; their leases run out");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.fetchers.clear();
		this.threads.clear();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Fetchers whose thread ended while the queue runs (an unexpected error, logged). */
	long deadFetchers() {
		return this.running ? this.threads.stream().filter((thread) -> !thread.isAlive()).count() : 0;
	}

	/** Slots that take no more jobs: all of them once every fetcher has stopped on an error. */
	long deadSlots() {
		return (this.running && !this.threads.isEmpty() && deadFetchers() == this.threads.size()) ? slots() : 0;
	}

	int slots() {
		return this.slots.total();
	}

	/** Slots running a job (or reserved for a fetch under way). */
	int busySlots() {
		return this.slots.busy();
	}

	@Override
	public boolean isAutoStartup() {
		return this.settings.queue().autoStartup();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
