package io.inloop.cli.replay;

import java.time.Instant;

import io.inloop.history.Cursor;
import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A status event selected by a replay, with the record it came from (for copying it byte for byte). */
record ReplayedEvent(Cursor cursor, Instant timestamp, JobStatusChanged event, ConsumerRecord<byte[], byte[]> record) {

	static ReplayedEvent of(ConsumerRecord<byte[], byte[]> record, JobStatusChanged event) {
		return new ReplayedEvent(new Cursor(record.partition(), record.offset()), Instant.ofEpochMilli(record.timestamp()),
				event, record);
	}

}
