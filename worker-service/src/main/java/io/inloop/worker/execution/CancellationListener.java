package io.inloop.worker.execution;

import java.time.Duration;
import java.util.Map;

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

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of the control topic, outside the worker group ({@link TopicTail}): each
 * worker must hear of every cancellation, since any of them may run the job. Starts from
 * {@code remember} ago, so a cancellation published shortly before this worker started still
 * counts, and reconnects where it stopped when its consumer fails. A cancellation written with a
 * schema this worker cannot read yet holds the listener there until the schema is published
 * ({@link SchemaHolds}); other unreadable records are logged and skipped.
 */
@Component
class CancellationListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(CancellationListener.class);

	private static final Duration POLL = Duration.ofSeconds(1);

	/** Before the command listener, so that it starts with what was cancelled lately. */
	private static final int PHASE = Integer.MAX_VALUE - 200;

	private final Cancellations cancellations;

	/** The listener's name in {@link SchemaHolds}. */
	static final String READER = "job-control";

	private final AvroDeserializer<CancelJob> deserializer;

	private final SchemaHolds holds;

	private final TopicTail tail;

	private volatile boolean stopping;

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
				cancellations.remembered(), POLL, POLL, this::apply);
	}

	@Override
	public void start() {
		this.tail.start("job-control");
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
		logger.debug("Job " + cancel.getJobId() + " is cancelled");
		this.cancellations.cancel(cancel.getJobId());
	}

}
