package io.inloop.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;

/**
 * What api-service and an operator do with the worker's topics, through real Kafka clients:
 * submit commands (or garbage), read a topic, look at the worker group's committed offsets.
 */
public final class KafkaTestClient implements AutoCloseable {

	public static final String WORKER_GROUP = Topics.WORKER_GROUP;

	private static final Duration POLL = Duration.ofMillis(50);

	private final String brokers = System.getProperty("spring.embedded.kafka.brokers");

	private final AvroSerializer<SubmitJob> commands = new AvroSerializer<>(SubmitJob.class);

	private final AvroSerializer<CancelJob> cancellations = new AvroSerializer<>(CancelJob.class);

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ProducerConfig.ACKS_CONFIG, "all"),
			new StringSerializer(), new ByteArraySerializer());

	private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers));

	/** A command as api-service writes it; unique ids keep tests apart. */
	public static SubmitJob command(String type, String payload) {
		String id = UUID.randomUUID().toString();
		return SubmitJob.newBuilder()
			.setJobId("job-" + id)
			.setOwner("owner-" + id)
			.setType(type)
			.setPayload(payload)
			.setSubmittedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.build();
	}

	public RecordMetadata submit(SubmitJob command) {
		return send(command.getJobId(), this.commands.serialize(Topics.JOB_COMMANDS, command));
	}

	/** Submits every command at once, and waits until Kafka has them all. */
	public void submitAll(List<SubmitJob> commands) {
		List<java.util.concurrent.Future<RecordMetadata>> sent = commands.stream()
			.map((command) -> this.producer.send(new ProducerRecord<>(Topics.JOB_COMMANDS, command.getJobId(),
					this.commands.serialize(Topics.JOB_COMMANDS, command))))
			.toList();
		for (java.util.concurrent.Future<RecordMetadata> each : sent) {
			try {
				each.get();
			}
			catch (InterruptedException | ExecutionException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Cancels the job as api-service does, on the control topic. */
	public RecordMetadata cancel(SubmitJob command) {
		CancelJob cancel = new CancelJob(command.getJobId(), command.getOwner(), Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
		return send(Topics.JOB_CONTROL, command.getJobId(), this.cancellations.serialize(Topics.JOB_CONTROL, cancel));
	}

	public RecordMetadata send(String key, byte[] value) {
		return send(Topics.JOB_COMMANDS, key, value);
	}

	public RecordMetadata send(String topic, String key, byte[] value) {
		try {
			return this.producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Whether the workers' share group has settled the command (accepted or rejected it) and every
	 * command before it in its partition: the group's start offset is past it, or nothing in the
	 * partition is left to settle.
	 */
	public boolean isSettled(RecordMetadata command) throws Exception {
		TopicPartition partition = new TopicPartition(command.topic(), command.partition());
		SharePartitionOffsetInfo offsets = this.admin
			.listShareGroupOffsets(Map.of(WORKER_GROUP, new ListShareGroupOffsetsSpec().topicPartitions(List.of(partition))))
			.partitionsToOffsetInfo(WORKER_GROUP)
			.get()
			.get(partition);
		// The start offset may stay where it is once the group has settled everything up to the log's end: lag 0
		return offsets != null && (offsets.startOffset() > command.offset() || offsets.lag().orElse(-1L) == 0);
	}

	/**
	 * A member of the workers' share group that takes {@code command} {@code times} times and each
	 * time gives it back before starting it (as a worker that died between taking a command and
	 * starting its attempt): each delivery counts. It leaves at once rather than waiting for a lock to
	 * run out: a member left open had a fetch waiting at the broker, which took the command again (a
	 * delivery nobody ran) whenever it beat the other workers to it. A worker killed mid-job is
	 * {@code JobLifecycleIT}'s.
	 */
	public void deadWorkersTook(RecordMetadata command, int times) {
		KafkaShareConsumer<String, byte[]> dead = new KafkaShareConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ConsumerConfig.GROUP_ID_CONFIG, WORKER_GROUP,
				ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit", ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG,
				"record_limit", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1), new StringDeserializer(),
				new ByteArrayDeserializer());
		try {
			dead.subscribe(List.of(Topics.JOB_COMMANDS));
			Instant deadline = Instant.now().plusSeconds(30);
			int taken = 0;
			while (Instant.now().isBefore(deadline)) {
				for (ConsumerRecord<String, byte[]> record : dead.poll(POLL)) {
					dead.acknowledge(record, AcknowledgeType.RELEASE);
					if (record.partition() == command.partition() && record.offset() == command.offset()) {
						taken++;
					}
				}
				dead.commitSync();
				if (taken == times) {
					return;
				}
			}
			throw new IllegalStateException("The command at " + command + " was delivered " + taken + " of " + times + " times");
		}
		finally {
			dead.close();
		}
	}

	/** A reader of every partition of {@code topic} from the beginning. */
	public TopicReader reader(String topic) {
		return new TopicReader(this.brokers, topic);
	}

	@Override
	public void close() {
		this.producer.close();
		this.admin.close();
	}

	/** Reads a whole topic, collecting what it has read so far. */
	public static final class TopicReader implements AutoCloseable {

		private final KafkaConsumer<String, byte[]> consumer;

		private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

		private final String topic;

		TopicReader(String brokers, String topic) {
			this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
					ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(),
					new ByteArrayDeserializer());
			this.topic = topic;
			assignWhenThere();
		}

		/** The topic may not exist yet when a test class starts: its application context creates it. */
		private void assignWhenThere() {
			List<TopicPartition> partitions = this.consumer.partitionsFor(this.topic)
				.stream()
				.map((info) -> new TopicPartition(this.topic, info.partition()))
				.toList();
			if (!partitions.isEmpty()) {
				this.consumer.assign(partitions);
				this.consumer.seekToBeginning(partitions);
			}
		}

		/** Everything read so far that matches, after one more poll. */
		public synchronized List<ConsumerRecord<String, byte[]>> read(Predicate<ConsumerRecord<String, byte[]>> filter) {
			if (this.consumer.assignment().isEmpty()) {
				assignWhenThere();
				if (this.consumer.assignment().isEmpty()) {
					return List.of();
				}
			}
			this.consumer.poll(POLL).forEach(this.records::add);
			return this.records.stream().filter(filter).toList();
		}

		public static Predicate<ConsumerRecord<String, byte[]>> keyed(@Nullable String key) {
			return (record) -> key != null && key.equals(record.key());
		}

		@Override
		public synchronized void close() {
			this.consumer.close();
		}

	}

}
