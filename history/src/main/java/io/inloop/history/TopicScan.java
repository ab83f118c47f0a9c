package io.inloop.history;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads partitions from start offsets up to end offsets fixed before reading began, so a scan of a
 * busy topic ends; when following, it goes on with live records until woken up or interrupted.
 */
public final class TopicScan {

	private static final Duration POLL = Duration.ofMillis(200);

	private final Consumer<byte[], byte[]> consumer;

	private final Map<TopicPartition, Long> starts;

	private final Map<TopicPartition, Long> ends;

	/**
	 * @param starts the first offset to read of each partition
	 * @param ends the offset after the last one to read of each partition (exclusive)
	 */
	public TopicScan(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
		this.consumer = consumer;
		this.starts = Map.copyOf(starts);
		this.ends = Map.copyOf(ends);
	}

	/** What a scan reports, all on the calling thread. */
	public interface Listener {

		void record(ConsumerRecord<byte[], byte[]> record);

		/** After each poll: how many of the records up to the end offsets have been read. */
		default void polled(long scanned, long total) {
		}

		/** Once, when every partition has reached its end offset (a following scan goes on). */
		default void caughtUp() {
		}

	}

	/** Records between the start and end offsets, whether or not they are delivered (filters, gaps). */
	public long total() {
		return this.starts.entrySet().stream().mapToLong((start) -> Math.max(0, end(start.getKey()) - start.getValue())).sum();
	}

	/**
	 * Read until every partition reaches its end offset, or, when {@code follow}, until
	 * {@link Consumer#wakeup()} or an interrupt.
	 */
	public void run(boolean follow, Listener listener) {
		Set<TopicPartition> pending = new HashSet<>();
		this.starts.forEach((partition, start) -> {
			if (start < end(partition)) {
				pending.add(partition);
			}
		});
		Set<TopicPartition> assigned = follow ? this.starts.keySet() : pending;
		if (assigned.isEmpty()) {
			listener.caughtUp();
			return;
		}
		this.consumer.assign(assigned);
		assigned.forEach((partition) -> this.consumer.seek(partition, this.starts.get(partition)));
		long total = total();
		boolean caughtUp = false;
		try {
			while (true) {
				ConsumerRecords<byte[], byte[]> records = this.consumer.poll(POLL);
				for (ConsumerRecord<byte[], byte[]> record : records) {
					if (follow || record.offset() < end(new TopicPartition(record.topic(), record.partition()))) {
						listener.record(record);
					}
				}
				pending.removeIf(this::reachedEnd);
				if (!follow) {
					// Nothing more is wanted from those: don't fetch live records only to drop them.
					this.consumer.pause(Set.copyOf(assigned).stream().filter((p) -> !pending.contains(p)).toList());
				}
				listener.polled(scanned(), total);
				if (pending.isEmpty() && !caughtUp) {
					caughtUp = true;
					listener.caughtUp();
					if (!follow) {
						return;
					}
				}
			}
		}
		catch (WakeupException | InterruptException ex) {
			// Asked to stop (Ctrl-C): what was read has been delivered.
			Thread.interrupted();
		}
	}

	private boolean reachedEnd(TopicPartition partition) {
		return this.consumer.position(partition) >= end(partition);
	}

	private long scanned() {
		long scanned = 0;
		for (Map.Entry<TopicPartition, Long> start : this.starts.entrySet()) {
			long end = end(start.getKey());
			if (start.getValue() < end && this.consumer.assignment().contains(start.getKey())) {
				scanned += Math.min(this.consumer.position(start.getKey()), end) - start.getValue();
			}
		}
		return scanned;
	}

	private long end(TopicPartition partition) {
		return this.ends.getOrDefault(partition, 0L);
	}

}
