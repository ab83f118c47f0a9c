package io.inloop.api.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.inloop.history.EventFilter;
import io.inloop.history.OutsideGroup;
import io.inloop.history.ScanPlan;
import io.inloop.history.RangeRead;
import io.inloop.history.ReadBacks;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.JobView;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;

/**
 * Reads the status history back from Kafka for one request: only the partitions and the time range
 * the filter needs, up to the end offsets of the moment the request came, at most {@code limit}
 * events, read only as fast as the response is written. Each request has its own short-lived
 * consumer, admitted and run by {@link ReadBacks} (limits per user and instance, threads of its own).
 */
@Component
class StatusHistoryReader {

	private static final Logger logger = LoggerFactory.getLogger(StatusHistoryReader.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final KafkaProperties properties;

	private final AvroDeserializer<JobStatusChanged> events = new AvroDeserializer<>(JobStatusChanged.class);

	private final ReadBacks readBacks;

	StatusHistoryReader(KafkaProperties properties, ReadBacks readBacks) {
		this.properties = properties;
		this.readBacks = readBacks;
	}

	/** For {@code user} (whose read-backs are counted): fails with ReadBackRefusedException when refused. */
	Flux<HistoryLine> read(String user, EventFilter filter, int limit) {
		return this.readBacks.read(user, () -> open(filter))
			.mapNotNull((record) -> line(filter, record))
			.take(limit, true);
	}

	private RangeRead open(EventFilter filter) {
		Map<String, Object> config = OutsideGroup.consumerConfig(this.properties.buildConsumerProperties());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		return RangeRead.of(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
				(consumer) -> ScanPlan.of(consumer, Topics.JOB_STATUS, consumer.partitionsFor(Topics.JOB_STATUS, TIMEOUT).size(),
						filter.owners(), filter.from(), filter.to(), TIMEOUT));
	}

	private @Nullable HistoryLine line(EventFilter filter, ConsumerRecord<byte[], byte[]> record) {
		JobStatusChanged event = decode(record);
		Instant timestamp = Instant.ofEpochMilli(record.timestamp());
		if (event == null || !filter.matches(event, timestamp)) {
			return null;
		}
		return new HistoryLine(HistoryLine.TYPE, record.partition() + "-" + record.offset(), timestamp,
				JobView.of(event));
	}

	private @Nullable JobStatusChanged decode(ConsumerRecord<byte[], byte[]> record) {
		try {
			return this.events.deserialize(record.topic(), record.value());
		}
		catch (SerializationException ex) {
			logger.debug("Skipping unreadable status record {}-{}: {}", record.partition(), record.offset(),
					ex.getMessage());
			return null;
		}
	}

}
