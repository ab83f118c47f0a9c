package io.inloop.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reading a topic outside any consumer group, the one way every Inloop reader does it: its
 * partitions assigned, each from a start offset up to an end offset fixed beforehand, so that a
 * read of a busy topic ends; or, {@link #following following}, on past the ends with live records.
 * Partitions that reached their end are paused, so no live record is fetched only to be dropped.
 * <p>
 * One thread polls; {@link #close()} may come from any other (a cancelled subscriber): it wakes a
 * poll that is under way and the polling thread closes the consumer, which is not thread-safe.
 */
public final class RangeRead implements AutoCloseable {

	private final Consumer<byte[], byte[]> consumer;

	private final Map<TopicPartition, Long> starts;

	private final Map<TopicPartition, Long> ends;

	private final boolean following;

	private final Set<TopicPartition> pending = new HashSet<>();

	private boolean polling; // guarded by this

	private boolean closeRequested; // guarded by this

	private boolean closed; // guarded by this

	/**
	 * Assigns and positions the consumer, which the read then owns (and closes).
	 * @param starts the first offset to read of each partition
	 * @param ends the offset after the last one to read of each partition (exclusive)
	 * @param following whether to read on past the ends, with every partition of {@code starts}
	 */
	public RangeRead(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> starts,
			Map<TopicPartition, Long> ends, boolean following) {
		this.consumer = consumer;
		this.starts = Map.copyOf(starts);
		this.ends = Map.copyOf(ends);
		this.following = following;
		this.starts.forEach((partition, start) -> {
			if (start < end(partition)) {
				this.pending.add(partition);
			}
		});
		Set<TopicPartition> assigned = following ? this.starts.keySet() : this.pending;
		consumer.assign(assigned);
		assigned.forEach((partition) -> consumer.seek(partition, this.starts.get(partition)));
	}

	/**
	 * A read of what {@code plan} says for {@code consumer}, which the read then owns; the consumer
	 * is closed if planning fails (for instance a range no longer in the topic).
	 */
	public static RangeRead of(Consumer<byte[], byte[]> consumer, Function<Consumer<byte[], byte[]>, ScanPlan> plan) {
		try {
			ScanPlan planned = plan.apply(consumer);
			return new RangeRead(consumer, planned.starts(), planned.ends(), false);
		}
		catch (RuntimeException ex) {
			consumer.close();
			throw ex;
		}
	}

	/** Whether every partition has reached its end offset: a read that does not follow is then over. */
	public boolean caughtUp() {
		return this.pending.isEmpty();
	}

	/** Whether nothing more will be read: caught up and not following, or closed. */
	public synchronized boolean done() {
		return (caughtUp() && !this.following) || this.closeRequested || this.closed;
	}

	/**
	 * The next records, in offset order per partition: up to their end offsets, and past them when
	 * following. Empty when nothing came within {@code timeout}, when the read is done or when it
	 * was closed meanwhile.
	 * @throws WakeupException if the consumer was woken up other than by {@link #close()}
	 */
	public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
		synchronized (this) {
			if (this.closeRequested || this.closed || (caughtUp() && !this.following)) {
				return List.of();
			}
			this.polling = true;
		}
		try {
			List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
			for (ConsumerRecord<byte[], byte[]> record : this.consumer.poll(timeout)) {
				if (this.following || record.offset() < end(new TopicPartition(record.topic(), record.partition()))) {
					read.add(record);
				}
			}
			if (this.pending.removeIf((partition) -> this.consumer.position(partition) >= end(partition))
					&& !this.following) {
				this.consumer.pause(this.consumer.assignment().stream().filter((p) -> !this.pending.contains(p)).toList());
			}
			return read;
		}
		catch (WakeupException ex) {
			synchronized (this) {
				if (!this.closeRequested) {
					throw ex; // Someone else's wakeup: theirs to handle.
				}
			}
			return List.of();
		}
		finally {
			synchronized (this) {
				this.polling = false;
				if (this.closeRequested) {
					closeNow();
				}
			}
		}
	}

	/** Records between the start and end offsets, whether or not they are delivered (filters, gaps). */
	public long total() {
		return total(this.starts, this.ends);
	}

	static long total(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
		return starts.entrySet()
			.stream()
			.mapToLong((start) -> Math.max(0, ends.getOrDefault(start.getKey(), 0L) - start.getValue()))
			.sum();
	}

	/** How many of the {@link #total()} records have been read. */
	public long scanned() {
		long scanned = 0;
		for (Map.Entry<TopicPartition, Long> start : this.starts.entrySet()) {
			long end = end(start.getKey());
			if (start.getValue() < end && this.consumer.assignment().contains(start.getKey())) {
				scanned += Math.min(this.consumer.position(start.getKey()), end) - start.getValue();
			}
		}
		return scanned;
	}

	/** The offset each assigned partition is read from next: where a new read resumes without gap or repeat. */
	public Map<TopicPartition, Long> positions() {
		Map<TopicPartition, Long> positions = new java.util.HashMap<>();
		this.consumer.assignment().forEach((partition) -> positions.put(partition, this.consumer.position(partition)));
		return positions;
	}

	/** Wakes a poll under way, so that it returns now; thread-safe. */
	public void wakeup() {
		this.consumer.wakeup();
	}

	/** Closes the consumer, now or, if a poll is under way on another thread, as soon as it returns. */
	@Override
	public synchronized void close() {
		if (this.polling) {
			this.closeRequested = true;
			this.consumer.wakeup();
		}
		else {
			closeNow();
		}
	}

	private void closeNow() {
		if (!this.closed) {
			this.closed = true;
			this.consumer.close();
		}
	}

	private long end(TopicPartition partition) {
		return this.ends.getOrDefault(partition, 0L);
	}

}
