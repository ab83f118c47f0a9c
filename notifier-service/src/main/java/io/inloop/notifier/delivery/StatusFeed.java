package io.inloop.notifier.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.inloop.history.Cursor;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.serde.AvroDeserializer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Reads every partition of the status topic on one thread and hands each event on as one
 * {@link JobFrame}. Every notifier instance must see every user's events, so partitions are
 * assigned, not shared in a consumer group, and nothing is committed. Reading starts
 * {@link StatusFeedSettings#horizon() a bounded time back}, so the listener knows the recent jobs
 * of every user before it is {@link #isCaughtUp() caught up}. The topic is awaited, never
 * created; a record that cannot be read is skipped.
 */
public final class StatusFeed implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StatusFeed.class);

	private final String topic;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	private final JobFrameListener listener;

	private final StatusFeedSettings settings;

	private final JobFrames frames = new JobFrames();

	private DeliveryObserver observer = DeliveryObserver.NONE;

	private final AvroDeserializer<JobStatusChanged> events = new AvroDeserializer<>(JobStatusChanged.class);

	private final AtomicLong skipped = new AtomicLong();

	private final CountDownLatch stopping = new CountDownLatch(1);

	private volatile int assignedPartitions;

	private volatile boolean caughtUp;

	private volatile @Nullable Consumer<byte[], byte[]> consumer;

	private volatile @Nullable Thread thread;

	public StatusFeed(String topic, Supplier<Consumer<byte[], byte[]>> consumers, JobFrameListener listener,
			StatusFeedSettings settings) {
		this.topic = topic;
		this.consumers = consumers;
		this.listener = listener;
		this.settings = settings;
	}

	/** Whether every partition is assigned and positioned, so no event produced from now on is missed. */
	public boolean isAssigned() {
		return this.assignedPartitions > 0;
	}

	/** Whether the feed has read what the topic held when it started: only then is its view of recent jobs whole. */
	public boolean isCaughtUp() {
		return this.caughtUp && isAssigned();
	}

	public int assignedPartitions() {
		return this.assignedPartitions;
	}

	public String topic() {
		return this.topic;
	}

	/** Records skipped because they could not be read as a {@link JobStatusChanged}. */
	public long skippedRecords() {
		return this.skipped.get();
	}

	@Override
	public void start() {
		Thread reader = new Thread(this::run, "status-feed");
		this.thread = reader;
		reader.start();
	}

	@Override
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

	@Override
	public boolean isRunning() {
		Thread reader = this.thread;
		return reader != null && reader.isAlive();
	}

	private void run() {
		// Next offset per partition, so reconnecting after a failure neither repeats nor skips events.
		Map<TopicPartition, Long> next = new HashMap<>();
		while (!isStopping()) {
			try (Consumer<byte[], byte[]> current = this.consumers.get()) {
				this.consumer = current;
				read(current, next);
			}
			catch (WakeupException | InterruptException ex) {
				// Stopping.
			}
			catch (RuntimeException ex) {
				logger.warn("Status feed on " + this.topic + " failed; reconnecting in " + this.settings.retryInterval(),
						ex);
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
		consumer.assign(partitions);
		Map<TopicPartition, Long> horizon = new HashMap<>();
		long since = System.currentTimeMillis() - this.settings.horizon().toMillis();
		partitions.forEach((partition) -> horizon.put(partition, since));
		Map<TopicPartition, OffsetAndTimestamp> fromHorizon = consumer.offsetsForTimes(horizon);
		for (TopicPartition partition : partitions) {
			Long offset = next.get(partition);
			OffsetAndTimestamp first = fromHorizon.get(partition);
			if (offset != null) {
				consumer.seek(partition, offset);
			}
			else if (first != null) {
				consumer.seek(partition, first.offset());
			}
			else {
				consumer.seekToEnd(List.of(partition));
			}
		}
		// Resolves the start offsets now, so that once assigned, nothing produced later can be missed.
		for (TopicPartition partition : partitions) {
			long position = consumer.position(partition);
			if (!next.containsKey(partition)) {
				next.put(partition, position);
				this.listener.positioned(partition.partition(), partitions.size(), position);
			}
		}
		Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
		this.assignedPartitions = partitions.size();
		logger.info("Status feed reads " + partitions.size() + " partitions of " + this.topic + " from " + next);
		while (!isStopping()) {
			if (!this.caughtUp) {
				ends.entrySet().removeIf((end) -> consumer.position(end.getKey()) >= end.getValue());
				if (ends.isEmpty()) {
					this.caughtUp = true;
					logger.info("Status feed caught up with " + this.topic);
				}
			}
			ConsumerRecords<byte[], byte[]> records = consumer.poll(this.settings.pollTimeout());
			for (ConsumerRecord<byte[], byte[]> record : records) {
				deliver(record);
			}
			records.nextOffsets().forEach((partition, offset) -> next.put(partition, offset.offset()));
		}
	}

	private List<TopicPartition> awaitPartitions(Consumer<byte[], byte[]> consumer) {
		boolean reported = false;
		while (!isStopping()) {
			List<PartitionInfo> partitions = consumer.partitionsFor(this.topic);
			if (!partitions.isEmpty()) {
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

	/** Told of every frame handed to the subscriptions, with the record it came from. */
	public void observeDeliveries(DeliveryObserver observer) {
		this.observer = observer;
	}

	private void deliver(ConsumerRecord<byte[], byte[]> record) {
		Cursor cursor = new Cursor(record.partition(), record.offset());
		JobFrame frame;
		try {
			JobStatusChanged event = this.events.deserialize(record.topic(), record.value());
			if (event == null) {
				skip(cursor, "it has no value");
				return;
			}
			frame = this.frames.frame(cursor, record.timestamp(), event);
		}
		catch (RuntimeException ex) {
			skip(cursor, ex.getMessage());
			return;
		}
		try {
			this.listener.on(frame);
			this.observer.delivered(record, frame);
		}
		catch (RuntimeException ex) {
			logger.error("Frame " + cursor + " of job " + frame.jobId() + " could not be delivered", ex);
		}
	}

	private void skip(Cursor cursor, @Nullable String reason) {
		long count = this.skipped.incrementAndGet();
		logger.warn("Skipped record " + cursor + " of " + this.topic + " (" + count + " so far): " + reason);
	}

	private boolean isStopping() {
		return this.stopping.getCount() == 0;
	}

	private void pause() {
		try {
			this.stopping.await(this.settings.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopping.countDown();
		}
	}

}
