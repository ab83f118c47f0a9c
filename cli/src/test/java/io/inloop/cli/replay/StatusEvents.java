package io.inloop.cli.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Status records as the services write them: keyed by owner, Avro single-object encoded. */
final class StatusEvents {

	static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

	private static final AvroSerializer<JobStatusChanged> serializer = new AvroSerializer<>(JobStatusChanged.class);

	private StatusEvents() {
	}

	static JobStatusChanged event(String jobId, String owner, String type, JobState state, int sequence) {
		return JobStatusChanged.newBuilder()
			.setJobId(jobId)
			.setOwner(owner)
			.setType(type)
			.setState(state)
			.setProgress(new JobProgress((long) sequence, 5L))
			.setMessage("step " + sequence)
			.setAttempt((state == JobState.QUEUED) ? 0 : 1)
			.setSequence(sequence)
			.setSubmittedAt(T0)
			.setUpdatedAt(T0.plusSeconds(sequence))
			.build();
	}

	static ProducerRecord<byte[], byte[]> record(String topic, JobStatusChanged event) {
		return new ProducerRecord<>(topic, key(event.getOwner()), serializer.serialize(topic, event));
	}

	static ProducerRecord<byte[], byte[]> record(String topic, JobStatusChanged event, Instant timestamp) {
		return new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key(event.getOwner()),
				serializer.serialize(topic, event));
	}

	static byte[] key(String owner) {
		return owner.getBytes(StandardCharsets.UTF_8);
	}

}
