package io.inloop.history;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of a topic on one thread of its own, outside any consumer group, so
 * that each instance sees every record and commits nothing: from where its {@link Start} says
 * (by default {@code horizon} back: the records a reader needs to know the recent past), then
 * live, as a {@link RangeRead} that follows.
 * It is {@link #isCaughtUp() caught up} once it has read what the topic held when it started. The
 * topic is awaited, never created. When the consumer fails, a new one resumes where the last one
 * stopped, neither repeating nor skipping a record.
 */
public final class TopicTail {

	private static final Logger logger = LoggerFactory.getLogger(TopicTail.class);

	private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

	private final String topic;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	private final Start start;

	private final Duration pollTimeout;

	private final Duration retryInterval;

	private final Listener listener;

	private final CountDownLatch stopping = new CountDownLatch(1);

	private volatile int assignedPartitions;

	private volatile boolean caughtUp;

	private volatile @Nullable Consumer<byte[], byte[]> consumer;

	private volatile @Nullable Thread thread;

	/** What the tail reports, all on its thread. */
	public interface Listener {

		/** The tail reads {@code partition} (of {@code partitions}) from {@code offset} on; once per partition. */
		default void positioned(int partition, int partitions, long offset) {
		}

		void record(ConsumerRecord<byte[], byte[]> record);

		/** Reading failed; the tail reconnects in {@code retryInterval}, where it stopped. */
		default void failed(RuntimeException ex) {
		}

	}

	/**
	 * Where a tail starts reading each partition, asked once, on the tail's thread, before its
	 * first record; a consumer that replaces a failed one resumes where the last stopped instead.
	 */
	@FunctionalInterface
	public interface Start {

		/**
		 * The first offset to read of each of {@code partitions}; {@code consumer} may be used
		 * (and assigned elsewhere) meanwhile.
		 * @param ends each partition's end offset now
		 */
		Map<TopicPartition, Long> offsets(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
				Map<TopicPartition, Long> ends);

		/** The first record at or after {@code horizon} ago in each partition; its end if there is none. */
		static Start horizon(Duration horizon) {
			return (consumer, partitions, ends) -> ScanPlan.offsetsAt(consumer, partitions, Instant.now().minus(horizon),
					ends, METADATA_TIMEOUT);
		}

	}

	public TopicTail(String topic, Supplier<Consumer<byte[], byte[]>> consumers, Duration horizon,
			Duration pollTimeout, Duration retryInterval, Listener listener) {
		this(topic, consumers, Start.horizon(horizon), pollTimeout, retryInterval, listener);
	}

	public TopicTail(String topic, Supplier<Consumer<byte[], byte[]>> consumers, Start start, Duration pollTimeout,
			Duration retryInterval, Listener listener) {
		this.topic = topic;
		this.consumers = consumers;
		this.start = start;
		this.pollTimeout = pollTimeout;
		this.retryInterval = retryInterval;
		this.listener = listener;
	}

	public String topic() {
		return this.topic;
	}

	/** Whether every partition is assigned and positioned, so no record written from now on is missed. */
	public boolean isAssigned() {
		return this.assignedPartitions > 0;
	}

	/** Whether the tail has read what the topic held when it started. */
	public boolean isCaughtUp() {
		return this.caughtUp && isAssigned();
	}

	public int assignedPartitions() {
		return this.assignedPartitions;
	}

	/** Starts the tail's thread, named {@code threadName}. */
	public void start(String threadName) {
		Thread reader = new Thread(this::run, threadName);
		reader.setDaemon(true);
		this.thread = reader;
		reader.start();
	}

	/** Stops reading and waits (10 s at most) for the thread to end. */
	public void stop() {
		this.stopping.countDown();
		Consumer<byte[], byte[]> current = this.consumer;
		if (current != null) {
			current.wakeup();
		}
		Thread reader = this.thread;
		if (reader != null) {
			try {
				reader.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	public boolean isRunning() {
		Thread reader = this.thread;
		return reader != null && reader.isAlive();
	}

	private void run() {
		// Next offset per partition, so reconnecting after a failure neither repeats nor skips records.
		Map<TopicPartition, Long> next = new HashMap<>();
		while (!isStopping()) {
			try (Consumer<byte[], byte[]> current = this.consumers.get()) {
				this.consumer = current;
				if (isStopping()) {
					return;
				}
				read(current, next);
			}
			catch (WakeupException | InterruptException ex) {
				// Stopping.
			}
			catch (RuntimeException ex) {
				logger.warn("Reading " + this.topic + " failed; reconnecting in " + this.retryInterval, ex);
				this.listener.failed(ex);
			}
			finally {
				this.assignedPartitions = 0;
				this.consumer = null;
			}
			pause();
		}
	}

	private void read(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> next) {
		List<TopicPartition> partitions = awaitPartitions(consumer);
		if (partitions.isEmpty()) {
			return;
		}
		// Assigned before asking for offsets: the consumer warns of each offset it gets for a partition not assigned
		consumer.assign(partitions);
		Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
		Map<TopicPartition, Long> starts = starts(consumer, partitions, next, ends);
		RangeRead read = new RangeRead(consumer, starts, ends, true);
		starts.forEach((partition, offset) -> {
			if (next.putIfAbsent(partition, offset) == null) {
				this.listener.positioned(partition.partition(), partitions.size(), offset);
			}
		});
		this.assignedPartitions = partitions.size();
		logger.info("Reading " + partitions.size() + " partitions of " + this.topic + " from " + starts);
		while (!isStopping()) {
			if (!this.caughtUp && read.caughtUp()) {
				this.caughtUp = true;
				logger.info("Caught up with " + this.topic);
			}
			for (ConsumerRecord<byte[], byte[]> record : read.poll(this.pollTimeout)) {
				this.listener.record(record);
			}
			next.putAll(read.positions());
		}
	}

	/** Where the last consumer stopped; else where the {@link Start} says. */
	private Map<TopicPartition, Long> starts(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
			Map<TopicPartition, Long> next, Map<TopicPartition, Long> ends) {
		Map<TopicPartition, Long> starts = new HashMap<>();
		if (!next.keySet().containsAll(partitions)) {
			starts.putAll(this.start.offsets(consumer, partitions, ends));
		}
		starts.putAll(next);
		return starts;
	}

	private List<TopicPartition> awaitPartitions(Consumer<byte[], byte[]> consumer) {
		boolean reported = false;
		while (!isStopping()) {
			List<PartitionInfo> partitions = consumer.partitionsFor(this.topic);
			if (partitions != null && !partitions.isEmpty()) {
				return partitions.stream().map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
			}
			if (!reported) {
				logger.info("Waiting for topic " + this.topic + " to be created");
				reported = true;
			}
			pause();
		}
		return List.of();
	}

	private boolean isStopping() {
		return this.stopping.getCount() == 0;
	}

	private void pause() {
		try {
			this.stopping.await(this.retryInterval.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopping.countDown();
		}
	}

}
