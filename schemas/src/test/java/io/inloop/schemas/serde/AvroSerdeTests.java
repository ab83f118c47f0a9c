package io.inloop.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobError;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static io.inloop.schemas.JobEvents.aSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AvroSerdeTests {

	@Test
	void statusSnapshotRoundTrips() {
		JobStatusChanged event = aSnapshot("job-1", JobState.FAILED, 3, 7)
			.setResult("{\"url\":\"/files/1\"}")
			.setError(new JobError("handler-error", "disk full", true))
			.setStartedAt(Instant.parse("2026-11-27T10:15:31Z"))
			.setNextAttemptAt(Instant.parse("2026-11-27T10:16:00Z"))
			.build();

		byte[] bytes = new AvroSerializer<>(JobStatusChanged.class).serialize(Topics.JOB_STATUS, event);

		assertThat(new AvroDeserializer<>(JobStatusChanged.class).deserialize(Topics.JOB_STATUS, bytes))
			.isEqualTo(event);
	}

	@Test
	void commandsRoundTrip() {
		SubmitJob submit = SubmitJob.newBuilder()
			.setJobId("job-2")
			.setOwner("bob")
			.setType("demo.steps")
			.setPayload("{\"steps\":5}")
			.setSubmittedAt(Instant.parse("2026-11-27T10:00:00Z"))
			.build();
		CancelJob cancel = new CancelJob("job-2", "bob", Instant.parse("2026-11-27T10:00:01Z"), null);

		assertThat(new AvroDeserializer<>(SubmitJob.class).deserialize(Topics.JOB_COMMANDS,
				new AvroSerializer<>(SubmitJob.class).serialize(Topics.JOB_COMMANDS, submit)))
			.isEqualTo(submit);
		assertThat(new AvroDeserializer<>(CancelJob.class).deserialize(Topics.JOB_CONTROL,
				new AvroSerializer<>(CancelJob.class).serialize(Topics.JOB_CONTROL, cancel)))
			.isEqualTo(cancel);
	}

	@Test
	void recordWrittenWithOlderSchemaIsReadByCurrentOne() throws IOException {
		Schema draft = olderSchema();
		GenericRecord progress = new GenericData.Record(draft.getField("progress").schema());
		progress.put("done", 4L);
		progress.put("total", 10L);
		GenericRecord old = new GenericData.Record(draft);
		old.put("jobId", "job-old");
		old.put("owner", "alice");
		old.put("type", "demo.steps");
		old.put("state", new GenericData.EnumSymbol(draft.getField("state").schema(), "RUNNING"));
		old.put("progress", progress);
		old.put("message", "resizing images");
		old.put("attempt", 2);
		old.put("submittedAt", 1_790_000_000_000L);
		old.put("updatedAt", 1_790_000_000_500L);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		new BinaryMessageEncoder<GenericRecord>(GenericData.get(), draft).encode(old, bytes);

		JobStatusChanged read = new AvroDeserializer<>(JobStatusChanged.class, List.of(draft))
			.deserialize(Topics.JOB_STATUS, bytes.toByteArray());

		assertThat(read).isNotNull();
		assertThat(read.getJobId()).isEqualTo("job-old");
		assertThat(read.getState()).isEqualTo(JobState.RUNNING);
		assertThat(read.getProgress().getDone()).isEqualTo(4L);
		assertThat(read.getMessage()).isEqualTo("resizing images");
		assertThat(read.getAttempt()).isEqualTo(2);
		assertThat(read.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(1_790_000_000_500L));
		assertThat(read.getResult()).as("field added later takes its default").isNull();
		assertThat(read.getSequence()).as("field added later takes its default").isZero();
	}

	@Test
	void recordWithUnknownFingerprintIsANewerSchemaThatSaysSo() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Schema draft = olderSchema();
		GenericRecord progress = new GenericData.Record(draft.getField("progress").schema());
		progress.put("done", 0L);
		progress.put("total", 0L);
		GenericRecord old = new GenericData.Record(draft);
		old.put("jobId", "job-x");
		old.put("owner", "alice");
		old.put("type", "demo.steps");
		old.put("state", new GenericData.EnumSymbol(draft.getField("state").schema(), "QUEUED"));
		old.put("progress", progress);
		old.put("attempt", 0);
		old.put("submittedAt", 0L);
		old.put("updatedAt", 0L);
		new BinaryMessageEncoder<GenericRecord>(GenericData.get(), draft).encode(old, bytes);

		assertThatExceptionOfType(NewerSchemaException.class)
			.isThrownBy(() -> new AvroDeserializer<>(JobStatusChanged.class).deserialize(Topics.JOB_STATUS,
					bytes.toByteArray()))
			.withMessageContaining("Unknown schema fingerprint")
			.withMessageContaining("io.inloop.schemas.JobStatusChanged");
	}

	@Test
	void bytesThatAreNotSingleObjectEncodedFailClearly() {
		assertThatExceptionOfType(SerializationException.class)
			.isThrownBy(() -> new AvroDeserializer<>(SubmitJob.class).deserialize(Topics.JOB_COMMANDS,
					"{\"not\":\"avro\"}".getBytes()))
			.withMessageContaining("Not an Avro single-object encoded record")
			.isNotInstanceOf(NewerSchemaException.class);
	}

	@Test
	void nullValuesPassThroughAsTombstones() {
		assertThat(new AvroSerializer<>(JobStatusChanged.class).serialize(Topics.JOBS, null)).isNull();
		assertThat(new AvroDeserializer<>(JobStatusChanged.class).deserialize(Topics.JOBS, null)).isNull();
	}

	static Schema olderSchema() throws IOException {
		try (InputStream in = AvroSerdeTests.class
			.getResourceAsStream("/io/inloop/schemas/older/JobStatusChanged-draft.avsc")) {
			return new Schema.Parser().parse(in);
		}
	}

}
