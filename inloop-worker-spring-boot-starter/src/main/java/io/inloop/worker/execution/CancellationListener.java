package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.inloop.history.OutsideGroup;
import io.inloop.history.TopicTail;
import io.inloop.schemas.CancelJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of the control topic, outside the worker group ({@link TopicTail}): each
 * worker must hear of every cancellation, since any of them may run the job. Starts from
 * {@link Cancellations#horizon() as far back} as a cancelled job may still run, so a cancellation
 * published before this worker started still counts, and reconnects where it stopped when its
 * consumer fails. A cancellation written with a schema this worker cannot read yet holds the
 * listener there until the schema is published ({@link SchemaHolds}); other unreadable records are
 * logged and skipped. What it has read and how it last failed are {@link ControlReaderHealth its
 * health}.
 */
@Component
class CancellationListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(CancellationListener.class);

	private static final Duration POLL = Duration.ofSeconds(1);

	private static final Duration READ_BACK_WAIT = Duration.ofSeconds(10);

	/** Before the command listener, so that it starts with what was cancelled lately. */
	private static final int PHASE = Integer.MAX_VALUE - 200;

	private final Cancellations cancellations;

	/** The listener's name in {@link SchemaHolds}. */
	static final String READER = "job-control";

	private final AvroDeserializer<CancelJob> deserializer;

	private final SchemaHolds holds;

	private final TopicTail tail;

	private volatile boolean stopping;

	/** Partition to the next offset to read: where the reader is. */
	private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

	private volatile @Nullable Failure lastFailure;

	CancellationListener(Cancellations cancellations, ConsumerFactory<?, ?> consumers, SchemaCatalog catalog,
			SchemaHolds holds) {
		this.cancellations = cancellations;
		this.deserializer = new AvroDeserializer<>(CancelJob.class, catalog);
		this.holds = holds;
		// Not a group member: this instance reads every partition.
		Map<String, Object> config = OutsideGroup.consumerConfig(consumers.getConfigurationProperties());
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "inloop-worker-control");
		this.tail = new TopicTail(Topics.JOB_CONTROL,
				() -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				cancellations.horizon(), POLL, POLL, new TopicTail.Listener() {

					@Override
					public void positioned(int partition, int partitions, long offset) {
						CancellationListener.this.positions.put(partition, offset);
					}

					@Override
					public void record(ConsumerRecord<byte[], byte[]> record) {
						apply(record);
						CancellationListener.this.positions.put(record.partition(), record.offset() + 1);
					}

					@Override
					public void failed(RuntimeException ex) {
						CancellationListener.this.lastFailure = new Failure(Instant.now(), ex.toString());
					}

				});
	}

	/**
	 * Starts reading and waits a little for the read-back, so that the job slots, which start
	 * next, know what was cancelled while this worker was away; a worker that cannot read it in
	 * time starts anyway and shows it in health.
	 */
	@Override
	public void start() {
		this.tail.start("job-control");
		long deadline = System.nanoTime() + READ_BACK_WAIT.toNanos();
		while (!this.tail.isCaughtUp() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (!this.tail.isCaughtUp()) {
			logger.warn("Taking jobs before the cancellations of the last " + this.cancellations.horizon()
					+ " are read back: a job cancelled meanwhile may start");
		}
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.tail.stop();
	}

	@Override
	public boolean isRunning() {
		return this.tail.isRunning();
	}

	TopicTail tail() {
		return this.tail;
	}

	/** Partition to the next offset this reader reads. */
	Map<Integer, Long> positions() {
		return Map.copyOf(this.positions);
	}

	@Nullable Failure lastFailure() {
		return this.lastFailure;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void apply(ConsumerRecord<byte[], byte[]> record) {
		CancelJob cancel;
		try {
			cancel = this.holds.untilReadable(READER, record.topic() + "-" + record.partition() + "@" + record.offset(),
					() -> this.deserializer.deserialize(record.topic(), record.value()), () -> this.stopping);
		}
		catch (KafkaException | IllegalArgumentException ex) {
			logger.warn("Skipping an unreadable cancellation at " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + ": " + ex.getMessage());
			return;
		}
		if (cancel == null) {
			return;
		}
		if (cancel.getFencedAttempt() != null) {
			this.cancellations.fence(cancel.getJobId(), cancel.getFencedAttempt());
			return;
		}
		logger.debug("Job " + cancel.getJobId() + " is cancelled");
		this.cancellations.cancel(cancel.getJobId(), Instant.ofEpochMilli(record.timestamp()));
	}

	/** How reading last failed. */
	record Failure(Instant at, String error) {

	}

}
