package io.inloop.history;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A {@link RangeRead} on the calling thread, for the command line: reads partitions from start
 * offsets up to end offsets fixed before reading began, so a scan of a busy topic ends; when
 * following, it goes on with live records until woken up or interrupted.
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
		return RangeRead.total(this.starts, this.ends);
	}

	/**
	 * Read until every partition reaches its end offset, or, when {@code follow}, until
	 * {@link Consumer#wakeup()} or an interrupt. The consumer stays open: it is the caller's.
	 */
	public void run(boolean follow, Listener listener) {
		RangeRead read = new RangeRead(this.consumer, this.starts, this.ends, follow);
		if (read.caughtUp()) {
			listener.caughtUp();
			if (!follow) {
				return;
			}
		}
		boolean caughtUp = read.caughtUp();
		long total = read.total();
		try {
			while (true) {
				for (ConsumerRecord<byte[], byte[]> record : read.poll(POLL)) {
					listener.record(record);
				}
				listener.polled(read.scanned(), total);
				if (read.caughtUp() && !caughtUp) {
					caughtUp = true;
					listener.caughtUp();
				}
				if (read.done()) {
					return;
				}
			}
		}
		catch (WakeupException | InterruptException ex) {
			// Asked to stop (Ctrl-C): what was read has been delivered.
			Thread.interrupted();
		}
	}

}
