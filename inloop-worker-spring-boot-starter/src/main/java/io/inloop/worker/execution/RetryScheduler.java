package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves each scheduled retry ({@link Topics#JOB_RETRIES}) to the command queue when it is due, so
 * a waiting retry holds no job slot and delays no other job. The retries of a partition are due in
 * any order: an offset is committed only once every retry before it has been moved, so a worker
 * that dies leaves the rest to the next member of the group (a retry moved twice runs once more,
 * as any redelivered command may). Partitions with too many retries waiting are paused.
 */
@Component
class RetryScheduler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RetryScheduler.class);

	private static final Duration LONGEST_POLL = Duration.ofMillis(500);

	/** Retries held in memory per partition before it is paused. */
	private static final int MAX_WAITING_PER_PARTITION = 10_000;

	private final Map<String, Object> consumerConfig;

	private final KafkaTemplate<Object, Object> template;

	/** The scheduler's name in {@link SchemaHolds}. */
	static final String READER = "job-retries";

	private final AvroDeserializer<SubmitJob> commands;

	private final SchemaHolds holds;

	private final PriorityQueue<Waiting> due = new PriorityQueue<>();

	/** Offsets read and not yet moved, per partition: the smallest is where a successor would start. */
	private final Map<TopicPartition, TreeSet<Long>> unmoved = new HashMap<>();

	/** Offsets moved whose commit is due; filled by producer callbacks, drained by the scheduler thread. */
	private final ConcurrentLinkedQueue<Waiting> moved = new ConcurrentLinkedQueue<>();

	private final Map<TopicPartition, Long> nextToRead = new HashMap<>();

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	RetryScheduler(ConsumerFactory<?, ?> consumers, WorkerProducer producer, SchemaCatalog catalog,
			SchemaHolds holds) {
		this.commands = new AvroDeserializer<>(SubmitJob.class, catalog);
		this.holds = holds;
		Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.RETRY_SCHEDULER_GROUP);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "inloop-worker-retries");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
		// Whatever the host app's consumers do: a new group starts at the oldest waiting retry, and asks for no topic
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		this.consumerConfig = config;
		this.template = producer.template();
	}

	@Override
	public void start() {
		KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(this.consumerConfig, new StringDeserializer(),
				new ByteArrayDeserializer());
		this.consumer = created;
		this.running = true;
		Thread scheduler = new Thread(() -> run(created), "job-retries");
		scheduler.setDaemon(true);
		this.thread = scheduler;
		scheduler.start();
	}

	private void run(KafkaConsumer<String, byte[]> consumer) {
		try (consumer) {
			consumer.subscribe(java.util.List.of(Topics.JOB_RETRIES), new Rebalance(consumer));
			while (this.running) {
				consumer.poll(untilNextDue()).forEach(this::schedule);
				moveDue();
				commitMoved(consumer);
				pauseOrResume(consumer);
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
		catch (KafkaException ex) {
			logger.error("Stopped scheduling retries: retried jobs wait until another worker schedules them", ex);
		}
	}

	private Duration untilNextDue() {
		Waiting next = this.due.peek();
		if (next == null) {
			return LONGEST_POLL;
		}
		Duration left = Duration.between(Instant.now(), next.at());
		return (left.isNegative()) ? Duration.ZERO : (left.compareTo(LONGEST_POLL) < 0) ? left : LONGEST_POLL;
	}

	private void schedule(ConsumerRecord<String, byte[]> record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		SubmitJob command;
		try {
			// A retry of a newer schema holds the scheduler, never committed past, until it can be read
			command = this.holds.untilReadable(READER, partition + "@" + record.offset(),
					() -> this.commands.deserialize(record.topic(), record.value()), () -> !this.running);
		}
		catch (RuntimeException ex) {
			this.nextToRead.put(partition, record.offset() + 1);
			logger.warn("Skipping an unreadable retry at " + partition + "@" + record.offset() + ": " + ex.getMessage());
			return;
		}
		if (command == null && record.value() != null) {
			// Stopped while held: nothing after this record is read or committed
			throw new WakeupException();
		}
		this.nextToRead.put(partition, record.offset() + 1);
		if (command == null) {
			return;
		}
		Instant at = (command.getNotBefore() != null) ? command.getNotBefore() : Instant.EPOCH;
		this.unmoved.computeIfAbsent(partition, (key) -> new TreeSet<>()).add(record.offset());
		this.due.add(new Waiting(at, partition, record.offset(), command));
	}

	private void moveDue() {
		Instant now = Instant.now();
		while (!this.due.isEmpty() && !this.due.peek().at().isAfter(now)) {
			Waiting retry = this.due.poll();
			this.template.send(Topics.JOB_COMMANDS, retry.command().getJobId(), retry.command()).whenComplete((sent, ex) -> {
				if (ex != null) {
					logger.warn("Could not move the retry of job " + retry.command().getJobId() + "; it waits for a successor", ex);
				}
				else {
					this.moved.add(retry);
				}
			});
		}
	}

	private void commitMoved(KafkaConsumer<String, byte[]> consumer) {
		Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
		for (Waiting retry = this.moved.poll(); retry != null; retry = this.moved.poll()) {
			TreeSet<Long> offsets = this.unmoved.get(retry.partition());
			if (offsets == null || !offsets.remove(retry.offset())) {
				continue;
			}
			commits.put(retry.partition(), new OffsetAndMetadata(offsets.isEmpty()
					? this.nextToRead.getOrDefault(retry.partition(), retry.offset() + 1) : offsets.first()));
		}
		if (!commits.isEmpty()) {
			consumer.commitAsync(commits, (offsets, ex) -> {
				if (ex != null) {
					logger.debug("Could not commit moved retries " + offsets + ": " + ex.getMessage());
				}
			});
		}
	}

	private void pauseOrResume(KafkaConsumer<String, byte[]> consumer) {
		this.unmoved.forEach((partition, offsets) -> {
			boolean full = offsets.size() >= MAX_WAITING_PER_PARTITION;
			if (full && !consumer.paused().contains(partition)) {
				consumer.pause(java.util.List.of(partition));
			}
			else if (!full && consumer.paused().contains(partition)) {
				consumer.resume(java.util.List.of(partition));
			}
		});
	}

	@Override
	public void stop() {
		this.running = false;
		KafkaConsumer<String, byte[]> current = this.consumer;
		if (current != null) {
			current.wakeup();
		}
		Thread scheduler = this.thread;
		if (scheduler != null) {
			try {
				scheduler.join(5_000);
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

	/** A retry read and not yet moved. */
	private record Waiting(Instant at, TopicPartition partition, long offset, SubmitJob command)
			implements Comparable<Waiting> {

		@Override
		public int compareTo(Waiting other) {
			return this.at.compareTo(other.at);
		}

	}

	/** Partitions that go elsewhere take their waiting retries with them: the new owner reads them again. */
	private final class Rebalance implements ConsumerRebalanceListener {

		private final KafkaConsumer<String, byte[]> consumer;

		Rebalance(KafkaConsumer<String, byte[]> consumer) {
			this.consumer = consumer;
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			commitMoved(this.consumer);
			forget(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			forget(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
		}

		private void forget(Collection<TopicPartition> partitions) {
			partitions.forEach((partition) -> {
				RetryScheduler.this.unmoved.remove(partition);
				RetryScheduler.this.nextToRead.remove(partition);
			});
			RetryScheduler.this.due.removeIf((retry) -> partitions.contains(retry.partition()));
		}

	}

}
