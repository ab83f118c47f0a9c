package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of the control topic, outside the worker group: each worker must hear of
 * every cancellation, since any of them may run the job. Starts from {@code remember} ago, so a
 * cancellation published shortly before this worker started still counts. Unreadable records are
 * logged and skipped: a cancellation is advisory, and the next record must not wait for it.
 */
@Component
class CancellationListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(CancellationListener.class);

	private static final Duration POLL = Duration.ofSeconds(1);

	/** Before the command listener, so that it starts with what was cancelled lately. */
	private static final int PHASE = Integer.MAX_VALUE - 200;

	private final Cancellations cancellations;

	private final Map<String, Object> consumerConfig;

	private final AvroDeserializer<CancelJob> deserializer = new AvroDeserializer<>(CancelJob.class);

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	CancellationListener(Cancellations cancellations, ConsumerFactory<?, ?> consumers) {
		this.cancellations = cancellations;
		Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
		// Not a group member: this instance reads every partition and commits nothing
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "inloop-worker-control");
		this.consumerConfig = config;
	}

	@Override
	public void start() {
		KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(this.consumerConfig, new StringDeserializer(),
				new ByteArrayDeserializer());
		this.consumer = created;
		this.running = true;
		Thread reader = new Thread(() -> read(created), "job-control");
		reader.setDaemon(true);
		this.thread = reader;
		reader.start();
	}

	@Override
	public void stop() {
		this.running = false;
		KafkaConsumer<String, byte[]> current = this.consumer;
		Thread reader = this.thread;
		if (current != null) {
			current.wakeup();
		}
		if (reader != null) {
			try {
				reader.join(POLL.toMillis() * 5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void read(KafkaConsumer<String, byte[]> consumer) {
		try (consumer) {
			List<TopicPartition> partitions = awaitPartitions(consumer);
			consumer.assign(partitions);
			seekToRecent(consumer, partitions);
			while (this.running) {
				consumer.poll(POLL).forEach(this::apply);
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
		catch (RuntimeException ex) {
			logger.error("Stopped reading " + Topics.JOB_CONTROL + ": cancellations no longer reach this worker", ex);
		}
	}

	/** The topic is created by api-service or the local stack: wait for it, as the command listener does. */
	private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> consumer) {
		while (this.running) {
			try {
				List<PartitionInfo> found = consumer.partitionsFor(Topics.JOB_CONTROL, POLL);
				if (found != null && !found.isEmpty()) {
					return found.stream().map((info) -> new TopicPartition(info.topic(), info.partition())).toList();
				}
			}
			catch (org.apache.kafka.common.errors.TimeoutException ex) {
				// not there yet
			}
			logger.info("Waiting for topic " + Topics.JOB_CONTROL);
			sleep();
		}
		throw new WakeupException();
	}

	private void seekToRecent(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
		long since = Instant.now().minus(this.cancellations.remembered()).toEpochMilli();
		Map<TopicPartition, @Nullable OffsetAndTimestamp> offsets = consumer
			.offsetsForTimes(partitions.stream().collect(Collectors.toMap(Function.identity(), (partition) -> since)));
		offsets.forEach((partition, offset) -> {
			if (offset != null) {
				consumer.seek(partition, offset.offset());
			}
			else {
				consumer.seekToEnd(List.of(partition));
			}
		});
	}

	private void apply(ConsumerRecord<String, byte[]> record) {
		CancelJob cancel;
		try {
			cancel = this.deserializer.deserialize(record.topic(), record.value());
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

	private void sleep() {
		try {
			Thread.sleep(POLL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WakeupException();
		}
	}

}
