package io.inloop.api.mirror;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The status mirror runs inside api-service as a Kafka Streams application of its own
 * ({@code inloop.status-mirror.*}, off unless {@code enabled}), with Boot's {@code spring.kafka.streams.*}
 * settings except for its application id and its processing guarantee: exactly once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "inloop.status-mirror.enabled")
class StatusMirrorConfiguration {

	/**
	 * Longer than a hold in place ({@link StatusMirrorTopology#HOLD_IN_PLACE}); also how long a
	 * transaction of a crashed instance can keep read-committed readers of the mirror waiting.
	 */
	static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

	/** Stateless, so a rebalance is cheap: a crashed instance's (or a failed thread's) partitions move soon. */
	static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	StatusMirror statusMirrorStreams(StatusMirrorSettings settings, KafkaProperties properties, SchemaCatalog catalog,
			SchemaHolds holds, ObjectProvider<MeterRegistry> meters) {
		Map<String, Object> config = new HashMap<>(properties.buildStreamsProperties());
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
		// Each status event once in the mirror: a frame is committed with its source's offset, or not at all.
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
				(int) TRANSACTION_TIMEOUT.toMillis());
		config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
				(int) SESSION_TIMEOUT.toMillis());
		config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableStatusSkipper.class);
		config.put(UnreadableStatusSkipper.HOLDS, holds);
		MeterRegistry registry = meters.getIfAvailable();
		return new StatusMirror(new KafkaStreamsConfiguration(config), new StatusMirrorTopology(catalog, holds),
				(registry != null) ? new KafkaStreamsMicrometerListener(registry) : null);
	}

	/** Up while the mirror is processing and held at no record; not part of readiness: the API does not need it. */
	@Bean
	HealthIndicator statusMirror(StatusMirror mirror, SchemaHolds holds) {
		return () -> {
			KafkaStreams.State state = mirror.state();
			SchemaHolds.Hold hold = holds.current().get(UnreadableStatusSkipper.READER);
			Health.Builder health = ((state == KafkaStreams.State.RUNNING && hold == null) ? Health.up()
					: Health.outOfService()).withDetail("state", String.valueOf(state));
			if (hold != null) {
				health.withDetail("heldAt", hold.record()).withDetail("heldSince", hold.since().toString())
					.withDetail("reason", hold.reason());
			}
			return health.build();
		};
	}

}
