package io.inloop.api.mirror;

import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Turns each status record into one mirrored frame with the same key, timestamp and headers: a
 * copy, not a second ledger, so every event is there, as on the status topic, in its order.
 */
final class StatusMirrorProcessor implements Processor<String, JobStatusChanged, String, MirroredEvent> {

	private final StatusFrames frames = new StatusFrames();

	private @Nullable ProcessorContext<String, MirroredEvent> context;

	@Override
	public void init(ProcessorContext<String, MirroredEvent> context) {
		this.context = context;
	}

	@Override
	public void process(Record<String, JobStatusChanged> record) {
		JobStatusChanged event = record.value();
		if (event == null) {
			return;
		}
		// The status record's own place: it is the frame's cursor and partition
		RecordMetadata source = this.context.recordMetadata().orElseThrow();
		this.context.forward(record.withValue(new MirroredEvent(source.partition(),
				this.frames.frame(source.partition(), source.offset(), event))));
	}

}
