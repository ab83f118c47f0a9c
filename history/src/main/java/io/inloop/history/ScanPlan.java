package io.inloop.history;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Where a replay starts and stops in each partition it needs: from the first record at or after
 * {@code from} (offsets-for-times, not a scan from the beginning) up to the first record after
 * {@code to}, or the end offset captured now.
 */
public record ScanPlan(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {

	/**
	 * @param owners when not empty, only the partitions of these owners are read
	 */
	public static ScanPlan of(Consumer<?, ?> consumer, String topic, int partitionCount, Set<String> owners,
			@Nullable Instant from, @Nullable Instant to, Duration timeout) {
		List<TopicPartition> partitions = owners.isEmpty()
				? java.util.stream.IntStream.range(0, partitionCount).mapToObj((p) -> new TopicPartition(topic, p)).toList()
				: owners.stream().map((owner) -> new TopicPartition(topic, OwnerPartition.of(owner, partitionCount)))
					.distinct()
					.toList();
		Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, timeout));
		Map<TopicPartition, Long> starts = (from != null) ? offsetsAt(consumer, partitions, from, ends, timeout)
				: new HashMap<>(consumer.beginningOffsets(partitions, timeout));
		if (to != null) {
			// Timestamps may be slightly out of order in a partition; the filter still drops a straggler after `to`.
			offsetsAt(consumer, partitions, to.plusMillis(1), ends, timeout).forEach((partition, offset) -> ends.merge(partition, offset, Math::min));
		}
		return new ScanPlan(starts, ends);
	}

	// A partition with no record at or after the time has nothing to read: its end offset.
	static Map<TopicPartition, Long> offsetsAt(Consumer<?, ?> consumer, List<TopicPartition> partitions,
			Instant time, Map<TopicPartition, Long> ends, Duration timeout) {
		Map<TopicPartition, Long> query = new HashMap<>();
		partitions.forEach((partition) -> query.put(partition, Math.max(0, time.toEpochMilli())));
		Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
		Map<TopicPartition, Long> offsets = new HashMap<>();
		for (TopicPartition partition : partitions) {
			OffsetAndTimestamp at = found.get(partition);
			offsets.put(partition, (at != null) ? at.offset() : ends.get(partition));
		}
		return offsets;
	}

}
