package io.inloop.api.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.inloop.history.OutsideGroup;
import io.inloop.history.RangeRead;
import io.inloop.history.ReadBacks;
import io.inloop.history.ScanPlan;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.swagger.v3.oas.annotations.media.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The commands dead-lettered since a time, newest first, read back from
 * {@code inloop.job-commands-dlt} for an operator (a read-back counted and bounded like any other,
 * {@link ReadBacks}): what {@code inloop dlt list} prints, for the dashboard.
 */
@Component
class DeadLetterList {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String TOPIC = Topics.deadLetter(Topics.JOB_COMMANDS);

	private final KafkaProperties properties;

	private final ReadBacks readBacks;

	private final AvroDeserializer<SubmitJob> commands;

	DeadLetterList(KafkaProperties properties, ReadBacks readBacks, SchemaCatalog catalog) {
		this.properties = properties;
		this.readBacks = readBacks;
		this.commands = new AvroDeserializer<>(SubmitJob.class, catalog);
	}

	/** At most {@code limit} dead letters written at or after {@code from}, newest first; read for {@code operator}. */
	Mono<List<DeadLetter>> since(String operator, Instant from, int limit) {
		return this.readBacks.read(operator, () -> open(from))
			.map(this::deadLetter)
			.collectSortedList(Comparator.comparing(DeadLetter::deadLetteredAt).reversed())
			.map((all) -> all.subList(0, Math.min(limit, all.size())));
	}

	private RangeRead open(Instant from) {
		Map<String, Object> config = OutsideGroup.consumerConfig(this.properties.buildConsumerProperties());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		return RangeRead.of(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				(consumer) -> ScanPlan.of(consumer, TOPIC, consumer.partitionsFor(TOPIC, TIMEOUT).size(), Set.of(), from,
						null, TIMEOUT));
	}

	private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
		SubmitJob command = null;
		try {
			command = this.commands.deserialize(record.topic(), record.value());
		}
		catch (SerializationException ex) {
			// A poison record: listed with what its key and headers say
		}
		String key = (record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null;
		return new DeadLetter((command != null) ? command.getJobId() : key, (command != null) ? command.getOwner() : null,
				(command != null) ? command.getType() : null, (command != null) ? command.getAttempt() : null,
				text(record, Topics.ERROR_CODE_HEADER), text(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE),
				Instant.ofEpochMilli(record.timestamp()), record.partition() + "-" + record.offset(), command != null);
	}

	private static @Nullable String text(ConsumerRecord<byte[], byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * A dead-lettered command.
	 * @param jobId the job (a poison record: its key)
	 * @param owner the job's owner; null for a record that is not a readable command
	 * @param type the job's type; null for a record that is not a readable command
	 * @param attempt the attempt the command was to start
	 * @param code why: the worker's error code (e.g. handler-error, timeout, worker-lost)
	 * @param error the exception's message
	 * @param deadLetteredAt when it was dead-lettered
	 * @param cursor where it is in the dead-letter topic, {@code <partition>-<offset>}
	 * @param readable whether it is a command that can be retried
	 */
	@Schema(name = "AdminDeadLetter", description = "A command dead-lettered in inloop.job-commands-dlt")
	record DeadLetter(@Schema(description = "The job id (a record that is not a command: its key)",
			types = { "string", "null" }) @Nullable String jobId,
			@Schema(description = "The job's owner; null for a record that is not a readable command",
					types = { "string", "null" }) @Nullable String owner,
			@Schema(description = "The job's type; null for a record that is not a readable command",
					types = { "string", "null" }) @Nullable String type,
			@Schema(description = "The attempt the command was to start", types = { "integer", "null" }) @Nullable Integer attempt,
			@Schema(description = "Why, as the worker said: handler-error, timeout, worker-lost, ...",
					types = { "string", "null" }) @Nullable String code,
			@Schema(description = "The exception's message", types = { "string", "null" }) @Nullable String error,
			@Schema(description = "When it was dead-lettered") Instant deadLetteredAt,
			@Schema(description = "Where it is in inloop.job-commands-dlt: <partition>-<offset>") String cursor,
			@Schema(description = "Whether it is a readable command, which a retry can run again") boolean readable) {
	}

}
