package io.inloop.bench.throughput;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.inloop.bench.report.RunReport;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Explains each version a client did not get by what the status topic holds: the bench reads
 * {@code inloop.job-status} back from the run's start and sorts every missing version of every
 * job into one of three kinds, so that no missing frame stays unexplained.
 * <ul>
 * <li><b>not written</b>: no record of the job has that version (its writer never wrote it, e.g. an
 * attempt number that no attempt took);</li>
 * <li><b>superseded</b>: written, but after a higher version of the same job in the topic, so every
 * reader's state machine drops it as stale ({@code inloop.notifier.frames.dropped}): by design,
 * the client has the newer state;</li>
 * <li><b>undelivered</b>: written in order and not received: a progress frame the notifier merged
 * for a client behind ({@code inloop.notifier.frames.conflated}), or a loss.</li>
 * </ul>
 */
public final class MissingVersions {

	private final String bootstrapServers;

	public MissingVersions(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Sorts {@code missing} (versions by job) by reading the status topic from {@code sinceMillis}
	 * to its end.
	 */
	public Explained explain(Map<String, List<Long>> missing, long sinceMillis, PrintStream log) {
		Map<String, JobRecords> records = new HashMap<>();
		missing.keySet().forEach((job) -> records.put(job, new JobRecords()));
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				CommonClientConfigs.CLIENT_ID_CONFIG, "inloop-bench-missing");
		Map<String, Object> consumerConfig = new HashMap<>(client);
		consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		long read = 0;
		try (SchemaCatalog schemas = new SchemaCatalog(client, client);
				KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
						new ByteArrayDeserializer())) {
			AvroDeserializer<JobStatusChanged> events = new AvroDeserializer<>(JobStatusChanged.class, schemas);
			List<TopicPartition> partitions = new ArrayList<>();
			for (PartitionInfo partition : consumer.partitionsFor(Topics.JOB_STATUS, Duration.ofSeconds(10))) {
				partitions.add(new TopicPartition(partition.topic(), partition.partition()));
			}
			consumer.assign(partitions);
			Map<TopicPartition, Long> query = new HashMap<>();
			partitions.forEach((partition) -> query.put(partition, sinceMillis));
			Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
			for (TopicPartition partition : partitions) {
				OffsetAndTimestamp offset = from.get(partition);
				consumer.seek(partition, (offset != null) ? offset.offset() : end.get(partition));
			}
			Set<TopicPartition> unread = new HashSet<>(partitions);
			unread.removeIf((partition) -> consumer.position(partition) >= end.get(partition));
			while (!unread.isEmpty()) {
				ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofSeconds(1));
				for (ConsumerRecord<byte[], byte[]> record : batch) {
					read++;
					JobStatusChanged event;
					try {
						event = events.deserialize(record.topic(), record.value());
					}
					catch (SerializationException ex) {
						continue; // poison, dead-lettered by the ledger and skipped by the notifier: no job's version
					}
					if (event == null) {
						continue;
					}
					JobRecords job = records.get(event.getJobId());
					if (job != null) {
						job.add(JobLifecycle.version(event), record.partition() + "-" + record.offset());
					}
				}
				unread.removeIf((partition) -> consumer.position(partition) >= end.get(partition));
			}
		}
		log.printf("missing versions: read %,d status records back to explain %d jobs' gaps%n", read, missing.size());
		long notWritten = 0;
		long superseded = 0;
		long undelivered = 0;
		List<String> undeliveredExamples = new ArrayList<>();
		for (Map.Entry<String, List<Long>> job : missing.entrySet()) {
			JobRecords written = records.get(job.getKey());
			for (long version : job.getValue()) {
				String where = written.inOrder.get(version);
				if (where != null) {
					undelivered++;
					if (undeliveredExamples.size() < 10) {
						undeliveredExamples.add(job.getKey() + " version " + describe(version) + " at " + where);
					}
				}
				else if (written.stale.contains(version)) {
					superseded++;
				}
				else {
					notWritten++;
				}
			}
		}
		return new Explained(notWritten, superseded, undelivered, undeliveredExamples);
	}

	/**
	 * Adds the explanation of the streams' missing versions to {@code report}: nothing to read when
	 * none is missing; a figure per kind otherwise, and where undelivered ones are to look into.
	 */
	public static void report(RunReport report, Map<String, List<Long>> missing, String bootstrapServers,
			long sinceMillis, PrintStream log) {
		long count = missing.values().stream().mapToLong(List::size).sum();
		if (count == 0) {
			report.figure("missingNotWritten", "missing versions never written", 0, "")
				.figure("missingSuperseded", "missing versions written after a newer one (dropped as stale)", 0, "")
				.figure("missingUndelivered", "missing versions written in order, not received", 0, "");
			return;
		}
		try {
			Explained explained = new MissingVersions(bootstrapServers).explain(missing, sinceMillis, log);
			report.figure("missingNotWritten", "missing versions never written", explained.notWritten(), "")
				.figure("missingSuperseded", "missing versions written after a newer one (dropped as stale)",
						explained.superseded(), "")
				.figure("missingUndelivered", "missing versions written in order, not received", explained.undelivered(), "");
			explained.undeliveredExamples().forEach((example) -> report.note("undelivered: " + example));
		}
		catch (RuntimeException ex) {
			report.note("missing versions: " + count + " not explained, the status topic could not be read at "
					+ bootstrapServers + " (" + ex + ")");
		}
	}

	private static String describe(long version) {
		return "(attempt " + JobLifecycle.attemptOf(version) + ", sequence " + JobLifecycle.sequenceOf(version) + ")";
	}

	/**
	 * @param notWritten missing versions no record has
	 * @param superseded missing versions written after a higher one of their job (dropped as stale by design)
	 * @param undelivered missing versions written in order and not received (merged for a client behind, or lost)
	 * @param undeliveredExamples up to ten undelivered ones, with their cursor, to look into
	 */
	public record Explained(long notWritten, long superseded, long undelivered, List<String> undeliveredExamples) {
	}

	/** One job's records in topic order: the versions written in order (with their cursor), and the stale ones. */
	private static final class JobRecords {

		final Map<Long, String> inOrder = new HashMap<>();

		final Set<Long> stale = new HashSet<>();

		long highest = -1;

		void add(long version, String cursor) {
			if (version > this.highest) {
				this.highest = version;
				this.inOrder.putIfAbsent(version, cursor);
			}
			else {
				this.stale.add(version);
			}
		}

	}

}
