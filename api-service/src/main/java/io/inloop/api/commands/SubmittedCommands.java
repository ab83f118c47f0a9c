package io.inloop.api.commands;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import io.inloop.history.OutsideGroup;
import io.inloop.history.RangeRead;
import io.inloop.history.ReadBacks;
import io.inloop.history.ScanPlan;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * A job's command read back from {@code inloop.job-commands}: the ledger keeps snapshots, which
 * do not hold the payload, attempts and timeout that a retry (the dashboard's) or the next attempt
 * of a job whose lease ran out (the ledger's) needs. Commands are keyed by job id and
 * written at submission, so the read is the job id's partition around {@code submittedAt}
 * (offsets-for-times), a read-back admitted like any other ({@link ReadBacks}).
 */
@Component
public class SubmittedCommands {

	/** The command is written right after {@code submittedAt} is taken; clocks and retries add a little. */
	static final Duration AROUND = Duration.ofMinutes(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final KafkaProperties properties;

	private final ReadBacks readBacks;

	private final AvroDeserializer<SubmitJob> commands;

	SubmittedCommands(KafkaProperties properties, ReadBacks readBacks, SchemaCatalog catalog) {
		this.properties = properties;
		this.readBacks = readBacks;
		this.commands = new AvroDeserializer<>(SubmitJob.class, catalog);
	}

	/** The command that submitted {@code job}, or empty when it is no longer in the topic; read for {@code user}. */
	public Mono<SubmitJob> of(String user, JobStatusChanged job) {
		return recordOf(user, job).map(Submitted::command);
	}

	/**
	 * The command that submitted {@code job} with the record it was read from, or empty when it is
	 * no longer in the topic; read for {@code user} (whose read-backs are counted).
	 */
	public Mono<Submitted> recordOf(String user, JobStatusChanged job) {
		byte[] key = job.getJobId().getBytes(StandardCharsets.UTF_8);
		Instant submittedAt = job.getSubmittedAt();
		return this.readBacks.read(user, () -> open(job.getJobId(), submittedAt.minus(AROUND), submittedAt.plus(AROUND)))
			.filter((record) -> Arrays.equals(record.key(), key))
			.mapNotNull((record) -> {
				SubmitJob command = decode(record);
				return (command != null && command.getJobId().equals(job.getJobId())) ? new Submitted(record, command)
						: null;
			})
			.next();
	}

	/**
	 * Whether a command of {@code jobId} for {@code attempt} was written since about {@code since}
	 * (the next attempt of a job whose lease ended is written after its fence); read for {@code user}.
	 */
	public Mono<Boolean> hasAttempt(String user, String jobId, int attempt, Instant since) {
		byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
		return this.readBacks.read(user, () -> open(jobId, since.minus(AROUND), null))
			.filter((record) -> Arrays.equals(record.key(), key))
			.mapNotNull(this::decode)
			.any((command) -> command.getJobId().equals(jobId) && command.getAttempt() == attempt);
	}

	private RangeRead open(String jobId, Instant from, @Nullable Instant to) {
		Map<String, Object> config = OutsideGroup.consumerConfig(this.properties.buildConsumerProperties());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		// Keyed by job id with the default partitioner: the partition ScanPlan picks for a key
		return RangeRead.of(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				(consumer) -> ScanPlan.of(consumer, Topics.JOB_COMMANDS,
						consumer.partitionsFor(Topics.JOB_COMMANDS, TIMEOUT).size(), Set.of(jobId), from, to, TIMEOUT));
	}

	private @Nullable SubmitJob decode(ConsumerRecord<byte[], byte[]> record) {
		try {
			return this.commands.deserialize(record.topic(), record.value());
		}
		catch (SerializationException ex) {
			return null;
		}
	}

	/** A command and the record it was read from. */
	public record Submitted(ConsumerRecord<byte[], byte[]> record, SubmitJob command) {
	}

}
