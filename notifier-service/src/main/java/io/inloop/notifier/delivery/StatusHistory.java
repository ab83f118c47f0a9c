package io.inloop.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.inloop.history.Cursor;
import io.inloop.history.RangeRead;
import io.inloop.history.ReadBacks;
import io.inloop.history.ScanPlan;
import io.inloop.schemas.JobLifecycle;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;

/**
 * Reads one owner's events back from the status topic, for clients whose cursor is older than what
 * the notifier keeps in memory: one consumer per request, assigned to the owner's partition, from
 * a cursor up to a given offset, and only as fast as the client takes the frames, within the limits
 * of {@link ReadBacks} (per user, per instance, per read-back, on threads of their own). Snapshots
 * that do not advance their job (as far as this read has seen) are left out, as the live feed does.
 */
public final class StatusHistory {

	private final String topic;

	private final Supplier<Consumer<byte[], byte[]>> consumers;

	private final ReadBacks readBacks;

	public StatusHistory(String topic, Supplier<Consumer<byte[], byte[]>> consumers, ReadBacks readBacks) {
		this.topic = topic;
		this.consumers = consumers;
		this.readBacks = readBacks;
	}

	/**
	 * {@code owner}'s frames at offsets {@code from} (inclusive) to {@code to} (exclusive) of
	 * {@code partition}, in order, read only as fast as they are taken, counted as a read-back of
	 * {@code user}; fails with {@link CursorExpiredException} before any frame when the partition no
	 * longer holds {@code from}, and with {@link io.inloop.history.ReadBackRefusedException} when
	 * refused or cut off.
	 */
	public Flux<JobFrame> read(String user, String owner, int partition, long from, long to) {
		if (from >= to) {
			return Flux.empty();
		}
		TopicPartition topicPartition = new TopicPartition(this.topic, partition);
		byte[] key = owner.getBytes(StandardCharsets.UTF_8);
		return Flux.defer(() -> {
			Frames frames = new Frames();
			return this.readBacks.read(user, () -> open(topicPartition, from, to))
				.filter((record) -> record.value() != null && Arrays.equals(record.key(), key))
				.mapNotNull(frames::advancing);
		});
	}

	private RangeRead open(TopicPartition partition, long from, long to) {
		return RangeRead.of(this.consumers.get(), (consumer) -> {
			long start = consumer.beginningOffsets(List.of(partition)).getOrDefault(partition, 0L);
			if (from < start) {
				throw new CursorExpiredException(new Cursor(partition.partition(), Math.max(0, from - 1)), start);
			}
			return new ScanPlan(Map.of(partition, from), Map.of(partition, to));
		});
	}

	/** One read's frames: the latest of each job seen so far, so that stale snapshots are left out. */
	private static final class Frames {

		private final JobFrames frames = new JobFrames();

		private final Map<String, JobFrame> latest = new HashMap<>();

		@Nullable JobFrame advancing(ConsumerRecord<byte[], byte[]> record) {
			JobFrame frame;
			try {
				frame = this.frames.frame(record);
			}
			catch (RuntimeException ex) {
				return null; // The feed skips and counts it too.
			}
			if (frame == null) {
				return null;
			}
			JobFrame current = this.latest.get(frame.jobId());
			if (current != null && frame.after(current) != JobLifecycle.Move.ACCEPTED) {
				return null;
			}
			this.latest.put(frame.jobId(), frame);
			return frame;
		}

	}

}
