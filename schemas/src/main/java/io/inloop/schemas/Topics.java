package io.inloop.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** The one place that names Inloop's Kafka topics. */
public final class Topics {

	/** {@link SubmitJob} commands, keyed by job id, consumed by the worker group. */
	public static final String JOB_COMMANDS = "inloop.job-commands";

	/**
	 * {@link SubmitJob} commands of retries waiting for their {@code notBefore}, keyed by job id; the
	 * workers' retry scheduler moves each to {@link #JOB_COMMANDS} when it is due.
	 */
	public static final String JOB_RETRIES = "inloop.job-retries";

	/** The workers' share group on {@link #JOB_COMMANDS}: a queue, each command to one free job slot. */
	public static final String WORKER_GROUP = "inloop-workers";

	/** The workers' consumer group on {@link #JOB_RETRIES}. */
	public static final String RETRY_SCHEDULER_GROUP = "inloop-retry-scheduler";

	/** {@link CancelJob} commands, keyed by job id, read by every worker. */
	public static final String JOB_CONTROL = "inloop.job-control";

	/** {@link JobStatusChanged} snapshots, keyed by owner: the retained, replayable history. */
	public static final String JOB_STATUS = "inloop.job-status";

	/**
	 * Every record of {@link #JOB_STATUS} as JSON, for consumers outside the JVM: the WebSocket's
	 * {@code job} frame, with the same key (owner), partition, order, timestamp and headers
	 * (docs/wire-format.md). Written by api-service's status mirror, exactly once per status record;
	 * retained as long as the status topic.
	 */
	public static final String JOB_STATUS_JSON = "inloop.job-status.json";

	/** Latest {@link JobStatusChanged} per job, keyed by job id, compacted: the ledger's changelog. */
	public static final String JOBS = "inloop.jobs";

	/**
	 * The latest {@link JobStatusChanged} of each job that has not finished, keyed by job id,
	 * compacted, a tombstone once it finishes: written by the ledger, it holds about as many records
	 * as there are jobs under way, whatever the history. A notifier starts from it (and the tail of
	 * {@link #JOB_STATUS}) instead of reading a day of history. Each record carries the cursor of the
	 * status record it came from in {@link #STATUS_CURSOR_HEADER}.
	 */
	public static final String OPEN_JOBS = "inloop.open-jobs";

	/**
	 * The header of an {@link #OPEN_JOBS} record (tombstones included) that says which status record
	 * it came from: {@code <partition>-<offset>} of {@link #JOB_STATUS}, the form of a client's cursor.
	 */
	public static final String STATUS_CURSOR_HEADER = "inloop_status-cursor";

	/** How long an {@link #OPEN_JOBS} tombstone, and a segment before it is compacted, lives: a minute. */
	static final Duration OPEN_JOBS_COMPACTION = Duration.ofMinutes(1);

	/**
	 * Every Avro schema a writer has used, keyed by its fingerprint (16 hex digits), the schema's JSON
	 * as value, compacted: readers look up the writer schema of a record they do not know
	 * ({@code io.inloop.schemas.serde.SchemaCatalog}). One partition: it holds a few records.
	 */
	public static final String SCHEMAS = "inloop.schemas";

	/**
	 * Partitions of {@link #JOB_COMMANDS}: one. The share group's assignor gives each member (job
	 * slot) about {@code partitions / members} of the partitions, so with more than one partition a
	 * free slot cannot take a command on a partition it was not given, and the commands a killed
	 * worker held wait for its session to time out (45 s by default) on partitions whose other
	 * members are busy, instead of the lock duration; and every change of membership moves
	 * partitions between slots, which can take a running command's lock away. With one partition
	 * every slot of every worker shares it: any free slot takes the next command, a dead slot's
	 * commands go to the next free slot once their lock runs out, and membership changes move
	 * nothing. One partition carries far more commands per second than workers can run.
	 */
	public static final int COMMAND_PARTITIONS = 1;

	private static final String DEAD_LETTER_SUFFIX = "-dlt";

	/**
	 * The header of a dead-lettered command that holds its job's error code ({@code worker-lost},
	 * {@code unreadable-command}, ...), beside spring-kafka's {@code kafka_dlt-*} headers.
	 */
	public static final String ERROR_CODE_HEADER = "inloop_error-code";

	private Topics() {
	}

	/**
	 * Every topic Inloop uses, with its settings. Services declare these at start-up, so whichever
	 * starts first creates them; an existing topic is left as it is.
	 * @param partitions partitions of each topic but {@link #JOB_COMMANDS} ({@link #COMMAND_PARTITIONS})
	 * and {@link #SCHEMAS} (one); bounds the parallelism of the ledger and the retry scheduler
	 * @param replicationFactor copies of each partition
	 * @param statusRetention how long the replayable status history is kept
	 */
	public static List<NewTopic> definitions(int partitions, short replicationFactor, Duration statusRetention) {
		Map<String, String> durable = Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
				Integer.toString(Math.min(2, replicationFactor)));
		return List.of(topic(JOB_COMMANDS, COMMAND_PARTITIONS, replicationFactor, durable),
				topic(JOB_RETRIES, partitions, replicationFactor, durable),
				topic(JOB_CONTROL, partitions, replicationFactor, durable),
				topic(JOB_STATUS, partitions, replicationFactor,
						merge(durable, Map.of(TopicConfig.RETENTION_MS_CONFIG,
								Long.toString(statusRetention.toMillis())))),
				topic(JOB_STATUS_JSON, partitions, replicationFactor,
						merge(durable, Map.of(TopicConfig.RETENTION_MS_CONFIG,
								Long.toString(statusRetention.toMillis())))),
				topic(JOBS, partitions, replicationFactor,
						merge(durable, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))),
				// Mostly tombstones soon: rolled and cleaned often, so it stays about the size of the work in flight
				topic(OPEN_JOBS, partitions, replicationFactor, merge(durable, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
						TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.SEGMENT_MS_CONFIG,
						Long.toString(OPEN_JOBS_COMPACTION.toMillis()), TopicConfig.DELETE_RETENTION_MS_CONFIG,
						Long.toString(OPEN_JOBS_COMPACTION.toMillis()), TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"))),
				topic(SCHEMAS, 1, replicationFactor,
						merge(durable, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))),
				topic(deadLetter(JOB_COMMANDS), partitions, replicationFactor, durable),
				topic(deadLetter(JOB_STATUS), partitions, replicationFactor, durable));
	}

	private static NewTopic topic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
		return new NewTopic(name, partitions, replicationFactor).configs(configs);
	}

	private static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
		Map<String, String> merged = new java.util.HashMap<>(first);
		merged.putAll(second);
		return merged;
	}

	/** The dead-letter topic for records that could not be processed from {@code topic}. */
	public static String deadLetter(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

}
