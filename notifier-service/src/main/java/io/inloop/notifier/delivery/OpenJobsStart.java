package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.inloop.history.Cursor;
import io.inloop.history.RangeRead;
import io.inloop.history.TopicTail;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Where the status feed starts, so that a notifier's start does not grow with the history: the
 * jobs under way come from {@link Topics#OPEN_JOBS} (the ledger's latest snapshot of each, a
 * compacted topic about as large as the work in flight), handed to the listener as
 * {@link JobFrameListener#snapshot snapshots}; then each status partition is read from
 * {@code tail} records before its end, or from the first record the ledger had not written there
 * yet if it is further behind, and never from before the horizon. Without the open-jobs topic, or
 * before the ledger ever wrote it (a ledger older than this notifier), the whole horizon is read.
 */
final class OpenJobsStart implements TopicTail.Start {

	private static final Log logger = LogFactory.getLog(OpenJobsStart.class);

	private final String openJobs;

	private final JobFrames frames;

	private final JobFrameListener listener;

	private final TopicTail.Start horizon;

	private final int tail;

	private final Duration pollTimeout;

	OpenJobsStart(String openJobs, JobFrames frames, JobFrameListener listener, StatusFeedSettings settings) {
		this.openJobs = openJobs;
		this.frames = frames;
		this.listener = listener;
		this.horizon = TopicTail.Start.horizon(settings.horizon());
		this.tail = settings.tail();
		this.pollTimeout = settings.pollTimeout();
	}

	@Override
	public Map<TopicPartition, Long> offsets(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
			Map<TopicPartition, Long> ends) {
		Map<TopicPartition, Long> earliest = this.horizon.offsets(consumer, partitions, ends);
		OpenJobs open = readOpenJobs(consumer);
		if (open == null) {
			return earliest;
		}
		Map<TopicPartition, Long> starts = new HashMap<>();
		Map<Integer, Long> startsByNumber = new HashMap<>();
		for (TopicPartition partition : partitions) {
			long end = ends.get(partition);
			long start = Math.max(0, end - this.tail);
			Long last = open.written().get(partition.partition());
			if (last != null) {
				start = Math.min(start, last + 1);
			}
			starts.put(partition, Math.max(start, earliest.get(partition)));
			startsByNumber.put(partition.partition(), starts.get(partition));
		}
		// A job whose snapshot the tail reads again is learnt from the tail, each of its frames in order:
		// a snapshot given first would make them look stale, and they would miss the resume window.
		int learnt = 0;
		for (ConsumerRecord<byte[], byte[]> record : open.latest()) {
			Cursor cursor = statusCursor(record);
			Long start = startsByNumber.get(cursor.partition());
			if ((start == null || cursor.offset() < start) && snapshot(record)) {
				learnt++;
			}
		}
		logger.info("Learnt " + learnt + " of " + open.latest().size() + " jobs under way from " + this.openJobs
				+ " (the rest from the status topic's tail); the ledger had written up to " + open.written()
				+ " of the status topic");
		return starts;
	}

	/**
	 * The jobs under way, each its latest record, and per status partition the offset of the last
	 * status record the ledger had written there; {@code null} if the topic was never written.
	 */
	private @Nullable OpenJobs readOpenJobs(Consumer<byte[], byte[]> consumer) {
		List<PartitionInfo> infos = consumer.partitionsFor(this.openJobs);
		if (infos == null || infos.isEmpty()) {
			logger.info("No " + this.openJobs + " topic: reading the status topic from the horizon");
			return null;
		}
		List<TopicPartition> partitions = infos.stream().map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
		// Assigned before asking for offsets: the consumer warns of each offset it gets for a partition not assigned
		consumer.assign(partitions);
		Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
		if (ends.values().stream().allMatch((end) -> end == 0)) {
			logger.info(this.openJobs + " was never written: reading the status topic from the horizon");
			return null;
		}
		// The last record of each job wins, as compaction would have it: a tombstone after a snapshot ends the job.
		// Only the jobs under way are held, however many tombstones compaction has not dropped yet.
		Map<String, ConsumerRecord<byte[], byte[]>> latest = new LinkedHashMap<>();
		Map<Integer, Long> written = new HashMap<>();
		RangeRead read = new RangeRead(consumer, consumer.beginningOffsets(partitions), ends, false);
		while (!read.done()) {
			for (ConsumerRecord<byte[], byte[]> record : read.poll(this.pollTimeout)) {
				Cursor cursor = statusCursor(record);
				if (cursor == null || record.key() == null) {
					continue;
				}
				written.merge(cursor.partition(), cursor.offset(), Math::max);
				String job = new String(record.key(), StandardCharsets.UTF_8);
				if (record.value() == null) {
					latest.remove(job);
				}
				else {
					latest.put(job, record);
				}
			}
		}
		logger.info("Read " + read.total() + " records of " + this.openJobs + ": " + latest.size() + " jobs under way");
		return new OpenJobs(List.copyOf(latest.values()), written);
	}

	/** What {@code inloop.open-jobs} held: each job's latest record, and how far the ledger had read. */
	private record OpenJobs(List<ConsumerRecord<byte[], byte[]>> latest, Map<Integer, Long> written) {
	}

	private boolean snapshot(ConsumerRecord<byte[], byte[]> record) {
		try {
			JobStatusChanged event = this.frames.event(record);
			if (event == null) {
				return false;
			}
			this.listener.snapshot(this.frames.frame(statusCursor(record), record.timestamp(), event));
			return true;
		}
		catch (RuntimeException ex) {
			// A newer writer's or an unreadable snapshot: the job is known again at its next event.
			logger.warn("Skipped the snapshot of job " + new String(record.key(), StandardCharsets.UTF_8) + " in "
					+ this.openJobs + ": " + ex.getMessage());
			return false;
		}
	}

	private static @Nullable Cursor statusCursor(ConsumerRecord<byte[], byte[]> record) {
		Header header = record.headers().lastHeader(Topics.STATUS_CURSOR_HEADER);
		if (header == null) {
			return null;
		}
		try {
			return Cursor.parse(new String(header.value(), StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
