package io.inloop.notifier.delivery;

import io.inloop.history.Cursor;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.JobView;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Writes status events as frames: {@code {"type":"job","cursor":"<p>-<o>","job":{...}}}. */
final class JobFrames {

	static final String TYPE = "job";

	// Our own mapper: the frame format is a protocol and must not follow spring.jackson.* settings.
	private final JsonMapper json = JsonMapper.builder().build();

	private final AvroDeserializer<JobStatusChanged> events;

	JobFrames() {
		this.events = new AvroDeserializer<>(JobStatusChanged.class);
	}

	/** Also reads the records of newer writers, with the schemas they published in {@code catalog}. */
	JobFrames(SchemaCatalog catalog) {
		this.events = new AvroDeserializer<>(JobStatusChanged.class, catalog);
	}

	/**
	 * The frame of a status record, or {@code null} for a record without a value.
	 * @throws io.inloop.schemas.serde.NewerSchemaException if it was written with a schema this notifier cannot read yet
	 * @throws RuntimeException if the record is not a {@link JobStatusChanged} this notifier can read
	 */
	@Nullable JobFrame frame(ConsumerRecord<byte[], byte[]> record) {
		JobStatusChanged event = event(record);
		return (event != null) ? frame(new Cursor(record.partition(), record.offset()), record.timestamp(), event) : null;
	}

	/** The event a record holds (of the status topic or of {@code inloop.open-jobs}), or {@code null} without a value. */
	@Nullable JobStatusChanged event(ConsumerRecord<byte[], byte[]> record) {
		return this.events.deserialize(record.topic(), record.value());
	}

	JobFrame frame(Cursor cursor, long timestamp, JobStatusChanged event) {
		byte[] payload = this.json.writeValueAsBytes(new Envelope(TYPE, cursor.toString(), JobView.of(event)));
		return new JobFrame(event.getOwner(), event.getJobId(), event.getType(), event.getState(),
				JobLifecycle.version(event), timestamp, cursor, payload);
	}

	/** The JSON object of a frame; the component order is the order on the wire. */
	record Envelope(String type, String cursor, JobView job) {
	}

}
