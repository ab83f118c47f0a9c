package io.inloop.examples.host;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;

/**
 * What api-service does with the worker's topics, through real Kafka clients: submits a job (its
 * {@code QUEUED} snapshot for the owner and its {@code SubmitJob} command for the workers) and
 * reads the owner's snapshots back from the status topic.
 */
final class ApiService implements AutoCloseable {

	private final String brokers = System.getProperty("spring.embedded.kafka.brokers");

	private final AvroSerializer<SubmitJob> commands = new AvroSerializer<>(SubmitJob.class);

	private final AvroSerializer<CancelJob> cancellations = new AvroSerializer<>(CancelJob.class);

	private final AvroSerializer<JobStatusChanged> snapshots = new AvroSerializer<>(JobStatusChanged.class);

	private final AvroDeserializer<JobStatusChanged> decoder = new AvroDeserializer<>(JobStatusChanged.class);

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ProducerConfig.ACKS_CONFIG, "all"),
			new StringSerializer(), new ByteArraySerializer());

	private final KafkaConsumer<String, byte[]> status = new KafkaConsumer<>(
			Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
			new StringDeserializer(), new ByteArrayDeserializer());

	private final List<JobStatusChanged> read = new ArrayList<>();

	ApiService() {
		List<TopicPartition> partitions = this.status.partitionsFor(Topics.JOB_STATUS, Duration.ofSeconds(10))
			.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		this.status.assign(partitions);
		this.status.seekToBeginning(partitions);
	}

	/** Submits a job of this type and JSON payload for a new owner, as {@code POST /api/jobs} does. */
	SubmitJob submit(String type, String payload) throws InterruptedException, ExecutionException {
		String id = UUID.randomUUID().toString();
		SubmitJob command = SubmitJob.newBuilder()
			.setJobId("job-" + id)
			.setOwner("owner-" + id)
			.setType(type)
			.setPayload(payload)
			.setSubmittedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
			.setMaxAttempts(3)
			.setTimeoutMillis(Duration.ofMinutes(1).toMillis())
			.build();
		JobStatusChanged queued = JobSnapshots.queued(command, "Waiting for a worker");
		this.producer.send(new ProducerRecord<>(Topics.JOB_STATUS, command.getOwner(),
				this.snapshots.serialize(Topics.JOB_STATUS, queued))).get();
		this.producer.send(new ProducerRecord<>(Topics.JOB_COMMANDS, command.getJobId(),
				this.commands.serialize(Topics.JOB_COMMANDS, command))).get();
		return command;
	}

	/** Cancels the job, as {@code POST /api/jobs/{id}/cancel} does for a job that has started: on the control topic. */
	void cancel(SubmitJob command) throws InterruptedException, ExecutionException {
		CancelJob cancel = new CancelJob(command.getJobId(), command.getOwner(), Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
		this.producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, command.getJobId(),
				this.cancellations.serialize(Topics.JOB_CONTROL, cancel))).get();
	}

	/** The job's snapshots read so far, in the order its owner gets them (the status topic is keyed by owner). */
	List<JobStatusChanged> snapshotsOf(SubmitJob command) {
		for (ConsumerRecord<String, byte[]> record : this.status.poll(Duration.ofMillis(50))) {
			this.read.add(this.decoder.deserialize(record.topic(), record.value()));
		}
		return this.read.stream().filter((snapshot) -> snapshot.getJobId().equals(command.getJobId())).toList();
	}

	@Override
	public void close() {
		this.producer.close();
		this.status.close();
	}

}
