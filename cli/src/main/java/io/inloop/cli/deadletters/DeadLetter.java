package io.inloop.cli.deadletters;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.inloop.history.Cursor;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;

/**
 * A dead-lettered command: the original bytes, where they came from, why they failed, and the
 * command itself when the value is still a readable {@link SubmitJob}.
 * @param cursor where it sits in the dead-letter topic
 * @param command the readable command, or null for a poison record
 * @param unreadable why the value is not a readable command, or null
 */
record DeadLetter(Cursor cursor, Instant timestamp, @Nullable String job, @Nullable String originalTopic,
		@Nullable Integer originalPartition, @Nullable Long originalOffset, @Nullable String exception,
		@Nullable String error, @Nullable SubmitJob command, @Nullable String unreadable,
		ConsumerRecord<byte[], byte[]> record) {

	static DeadLetter of(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<SubmitJob> commands) {
		SubmitJob command = null;
		String unreadable = null;
		try {
			command = commands.deserialize(record.topic(), record.value());
			if (command == null) {
				unreadable = "it has no value";
			}
		}
		catch (SerializationException ex) {
			unreadable = ex.getMessage();
		}
		String cause = DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.EXCEPTION_CAUSE_FQCN);
		return new DeadLetter(new Cursor(record.partition(), record.offset()), Instant.ofEpochMilli(record.timestamp()),
				(record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null,
				DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ORIGINAL_TOPIC),
				DeadLetterHeaders.integer(record.headers(), DeadLetterHeaders.ORIGINAL_PARTITION),
				DeadLetterHeaders.number(record.headers(), DeadLetterHeaders.ORIGINAL_OFFSET),
				(cause != null) ? cause : DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.EXCEPTION_FQCN),
				DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE), command, unreadable,
				record);
	}

	boolean isReadable() {
		return this.command != null;
	}

	/** Where the original record was: {@code topic partition-offset}, as far as the headers say. */
	String origin() {
		String topic = (this.originalTopic != null) ? this.originalTopic : "?";
		if (this.originalPartition == null || this.originalOffset == null) {
			return topic;
		}
		return topic + " " + this.originalPartition + "-" + this.originalOffset;
	}

}
