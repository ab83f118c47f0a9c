package io.inloop.schemas.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readers of a service that are held at a record they cannot read yet
 * ({@link NewerSchemaException}), for its health: a held reader neither skips nor dead-letters the
 * record, nor reads past it, until its schema is published or the reader is upgraded.
 */
public final class SchemaHolds implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SchemaHolds.class);

	private static final Duration FIRST_BACK_OFF = Duration.ofMillis(200);

	private static final Duration MAX_BACK_OFF = Duration.ofSeconds(5);

	private static final long STOP_CHECK_MILLIS = 100;

	private final Map<String, Hold> holds = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/** Where a reader is held, why (and for want of which schema), and since when. */
	public record Hold(String record, String reason, long fingerprint, Instant since) {
	}

	/**
	 * {@code reader} cannot read {@code record} (e.g. {@code "inloop.job-status-2@41"}); a repeated
	 * hold for the same schema keeps its start.
	 */
	public void hold(String reader, String record, NewerSchemaException why) {
		Hold previous = this.holds.get(reader);
		if (previous == null || !previous.record().equals(record)) {
			if (previous == null || previous.fingerprint() != why.fingerprint()) {
				logger.error("{} holds at {} until its schema can be read: {}", reader, record, why.getMessage());
			}
			Instant since = (previous != null && previous.fingerprint() == why.fingerprint()) ? previous.since()
					: Instant.now();
			this.holds.put(reader, new Hold(record, String.valueOf(why.getMessage()), why.fingerprint(), since));
		}
	}

	/** {@code reader} has read the record it was held at. */
	public void release(String reader) {
		Hold released = this.holds.remove(reader);
		if (released != null) {
			logger.info("{} read {}, held since {}, and goes on", reader, released.record(), released.since());
		}
	}

	/**
	 * {@code deserializer}, holding where it cannot read a record yet: it reads the record again
	 * with back-off, for {@code maxWait} at most, and only then throws the
	 * {@link NewerSchemaException}, so that the caller's own hold takes over (a Kafka Streams
	 * source, say, whose thread then fails before committing past the record and reads it again).
	 */
	public <T> Deserializer<T> holding(String reader, Deserializer<T> deserializer, Duration maxWait) {
		return new Deserializer<>() {

			@Override
			public void configure(Map<String, ?> configs, boolean isKey) {
				deserializer.configure(configs, isKey);
			}

			@Override
			public @Nullable T deserialize(String topic, byte @Nullable [] data) {
				try {
					T value = deserializer.deserialize(topic, data);
					Hold hold = SchemaHolds.this.holds.get(reader);
					if (hold != null && data != null && data.length >= 10
							&& ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == hold.fingerprint()) {
						// Read again by a replaced thread, say: the record it was held at is readable now
						release(reader);
					}
					return value;
				}
				catch (NewerSchemaException ex) {
					long until = System.nanoTime() + maxWait.toNanos();
					T value = untilReadable(reader, topic + " (a record of schema " + SchemaCatalog.key(ex.fingerprint())
							+ ")", () -> deserializer.deserialize(topic, data), () -> System.nanoTime() > until);
					if (value == null) {
						// Given up (or stopping): not read, so never handed on as a record without a value
						throw ex;
					}
					return value;
				}
			}

			@Override
			public void close() {
				deserializer.close();
			}

		};
	}

	/** The readers held now, by name. */
	public Map<String, Hold> current() {
		return Map.copyOf(this.holds);
	}

	public boolean isEmpty() {
		return this.holds.isEmpty();
	}

	/** Every reader still waiting gives up within 100 ms: the service is stopping. */
	public void close() {
		this.closed = true;
	}

	/**
	 * Reads with {@code read} until it no longer fails with a {@link NewerSchemaException}, backing
	 * off (200 ms doubling to 5 s) and reporting the hold meanwhile; gives up only when
	 * {@code stopping} says so or these holds are closed, and the hold stays reported then. For
	 * readers whose position is their own thread's place in a topic.
	 * @return what {@code read} returned, or {@code null} if stopped before the record could be read
	 */
	public <T> @Nullable T untilReadable(String reader, String record, Supplier<@Nullable T> read,
			BooleanSupplier stopping) {
		Duration backOff = FIRST_BACK_OFF;
		boolean held = false;
		while (true) {
			try {
				T value = read.get();
				if (held) {
					release(reader);
				}
				return value;
			}
			catch (NewerSchemaException ex) {
				hold(reader, record, ex);
				held = true;
			}
			if (!pause(backOff, () -> this.closed || stopping.getAsBoolean())) {
				return null;
			}
			backOff = (backOff.compareTo(MAX_BACK_OFF.dividedBy(2)) > 0) ? MAX_BACK_OFF : backOff.multipliedBy(2);
		}
	}

	/** Whether it waited the whole back-off without being told to stop. */
	private static boolean pause(Duration backOff, BooleanSupplier stopping) {
		long until = System.nanoTime() + backOff.toNanos();
		while (System.nanoTime() < until) {
			if (stopping.getAsBoolean()) {
				return false;
			}
			try {
				Thread.sleep(Math.min(STOP_CHECK_MILLIS, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return !stopping.getAsBoolean();
	}

}
