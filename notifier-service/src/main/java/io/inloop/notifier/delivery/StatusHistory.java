package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.inloop.history.Cursor;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Reads one owner's events back from the status topic, for clients whose cursor is older than what
 * the notifier keeps in memory: one consumer per request, assigned to the owner's partition, from
 * a cursor up to a given offset, and only as fast as the client takes the frames. Snapshots that
 * do not advance their job (as far as this read has seen) are left out, as the live feed does.
 */
public final class StatusHistory {

	private final String topic;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	private final Scheduler readers;

	private final Duration pollTimeout;

	public StatusHistory(String topic, Supplier<Consumer<byte[], byte[]>> consumers, Scheduler readers,
			Duration pollTimeout) {
		this.topic = topic;
		this.consumers = consumers;
		this.readers = readers;
		this.pollTimeout = pollTimeout;
	}

	/** Stops the reader threads; reads still going fail. */
	public void close() {
		this.readers.dispose();
	}

	/**
	 * {@code owner}'s frames at offsets {@code from} (inclusive) to {@code to} (exclusive) of
	 * {@code partition}, in order; fails with {@link CursorExpiredException} before any frame when
	 * the partition no longer holds {@code from}.
	 */
	public Flux<JobFrame> read(String owner, int partition, long from, long to) {
		if (from >= to) {
			return Flux.empty();
		}
		TopicPartition topicPartition = new TopicPartition(this.topic, partition);
		return Flux.using(() -> new Reading(owner, topicPartition, from, to),
				(reading) -> Flux.<List<JobFrame>>generate((sink) -> {
					if (reading.done()) {
						sink.complete();
					}
					else {
						sink.next(reading.next());
					}
				}), Reading::close)
			.concatMapIterable((frames) -> frames)
			// The consumer blocks: it is created, polled and closed on the readers only, never on an event loop.
			.subscribeOn(this.readers, true);
	}

	/** One read: its consumer, and the latest frame of each job seen so far. */
	private final class Reading implements AutoCloseable {

		private final byte[] owner;

		private final TopicPartition partition;

		private final long to;

		private final Consumer<byte[], byte[]> consumer;

		private final JobFrames frames = new JobFrames();

		private final AvroDeserializer<JobStatusChanged> events = new AvroDeserializer<>(JobStatusChanged.class);

		private final Map<String, JobFrame> latest = new HashMap<>();

		private boolean done;

		Reading(String owner, TopicPartition partition, long from, long to) {
			this.owner = owner.getBytes(StandardCharsets.UTF_8);
			this.partition = partition;
			this.to = to;
			this.consumer = StatusHistory.this.consumers.get();
			try {
				this.consumer.assign(List.of(partition));
				long start = this.consumer.beginningOffsets(List.of(partition)).getOrDefault(partition, 0L);
				if (from < start) {
					throw new CursorExpiredException(new Cursor(partition.partition(), Math.max(0, from - 1)), start);
				}
				this.consumer.seek(partition, from);
			}
			catch (RuntimeException ex) {
				this.consumer.close();
				throw ex;
			}
		}

		boolean done() {
			return this.done || this.consumer.position(this.partition) >= this.to;
		}

		List<JobFrame> next() {
			List<JobFrame> batch = new ArrayList<>();
			for (ConsumerRecord<byte[], byte[]> record : this.consumer.poll(StatusHistory.this.pollTimeout)) {
				if (record.offset() >= this.to) {
					this.done = true;
					break;
				}
				if (record.value() != null && Arrays.equals(record.key(), this.owner)) {
					JobFrame frame = frame(record);
					if (frame != null) {
						batch.add(frame);
					}
				}
			}
			return batch;
		}

		private @Nullable JobFrame frame(ConsumerRecord<byte[], byte[]> record) {
			JobStatusChanged event;
			try {
				event = this.events.deserialize(record.topic(), record.value());
			}
			catch (RuntimeException ex) {
				return null; // The feed skips and counts it too.
			}
			if (event == null) {
				return null;
			}
			JobFrame frame = this.frames.frame(new Cursor(record.partition(), record.offset()), record.timestamp(),
					event);
			JobFrame current = this.latest.get(frame.jobId());
			if (current != null && frame.after(current) != JobLifecycle.Move.ACCEPTED) {
				return null;
			}
			this.latest.put(frame.jobId(), frame);
			return frame;
		}

		@Override
		public void close() {
			this.consumer.close();
		}

	}

}
