package io.inloop.api.mirror;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;

/**
 * The mirror's topology: status topic → {@link StatusMirrorProcessor} → {@code inloop.job-status.json},
 * each frame to the partition of the record it mirrors. Stateless; exactly once comes from the
 * application's {@code exactly_once_v2}: a frame and the offset of its source commit together.
 */
final class StatusMirrorTopology implements KafkaStreamsInfrastructureCustomizer {

	/**
	 * How long a status record of a schema the mirror cannot read yet is read again in place before
	 * the stream thread fails and is replaced: within the mirror's transaction timeout
	 * ({@link StatusMirrorConfiguration#TRANSACTION_TIMEOUT}), so an open transaction never times
	 * out under it; a replaced thread waits out the old one's session (10 s) before it reads again.
	 */
	static final Duration HOLD_IN_PLACE = Duration.ofSeconds(30);

	private static final String SOURCE = "status";

	private static final String PROCESSOR = "frames";

	private static final String SINK = "json";

	private final @Nullable SchemaCatalog catalog;

	private final SchemaHolds holds;

	StatusMirrorTopology() {
		this(null, new SchemaHolds());
	}

	/** Resolves newer writers' records through {@code catalog}; a hold ends once its record is read. */
	StatusMirrorTopology(@Nullable SchemaCatalog catalog, SchemaHolds holds) {
		this.catalog = catalog;
		this.holds = holds;
	}

	@Override
	public void configureTopology(Topology topology) {
		AvroDeserializer<JobStatusChanged> events = (this.catalog != null)
				? new AvroDeserializer<>(JobStatusChanged.class, this.catalog)
				: new AvroDeserializer<>(JobStatusChanged.class);
		Serializer<MirroredEvent> frames = (topic, mirrored) -> (mirrored != null) ? mirrored.frame() : null;
		topology.addSource(SOURCE, new StringDeserializer(),
				this.holds.holding(UnreadableStatusSkipper.READER, events, HOLD_IN_PLACE), Topics.JOB_STATUS)
			.addProcessor(PROCESSOR, StatusMirrorProcessor::new, SOURCE)
			.addSink(SINK, Topics.JOB_STATUS_JSON, new StringSerializer(), frames, new SamePartition(), PROCESSOR);
	}

	/**
	 * A frame goes to the partition of its status record: the same owner in the same partition,
	 * in the same order. Topics creates both topics with the same partition count; should they
	 * differ, the modulo still keeps each owner's frames in one partition, in order.
	 */
	private static final class SamePartition implements StreamPartitioner<String, MirroredEvent> {

		@Override
		public Optional<Set<Integer>> partitions(String topic, String key, MirroredEvent value, int numPartitions) {
			return Optional.of(Set.of(value.partition() % numPartitions));
		}

	}

}
