package io.inloop.api.ledger;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

/** The ledger runs as a Kafka Streams application inside api-service ({@code spring.kafka.streams.*}). */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class LedgerConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(LedgerConfiguration.class);

	/**
	 * Boot's streams configuration plus what properties cannot hold: the recoverer for poison
	 * records, the bound on each store's open files, and the address this instance advertises to
	 * the others.
	 */
	@Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
	KafkaStreamsConfiguration ledgerStreamsConfiguration(KafkaProperties properties, LedgerMembership membership,
			SchemaHolds holds, LedgerSettings settings) {
		Map<String, Object> config = new HashMap<>(properties.buildStreamsProperties());
		if (!membership.instanceId().isBlank()) {
			config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
					membership.instanceId());
		}
		config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
				UnreadableStatusHandler.class);
		config.put(UnreadableStatusHandler.HOLDS, holds);
		config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER,
				poisonToDeadLetters(properties));
		config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, LedgerRocksDb.class);
		config.put(LedgerRocksDb.MAX_OPEN_FILES_CONFIG, settings.maxOpenFilesPerStore());
		// Where the other instances send the requests for owners whose partitions this one holds
		config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.advertisedAddress());
		return new KafkaStreamsConfiguration(config);
	}

	@Bean
	StreamsBuilderFactoryBeanConfigurer ledgerTopology(LedgerSettings settings, LedgerMembership membership,
			LedgerCounters counters, SchemaCatalog catalog, SchemaHolds holds, JobChanges changes,
			ObjectProvider<LeaseExpiry> leases, LedgerStats stats) {
		return (factory) -> {
			factory.setInfrastructureCustomizer(
					new LedgerTopology(settings, counters, Clock.systemUTC(), catalog, holds, changes,
							new LazyLeaseExpiry(leases), stats));
			// KafkaStreams.close(CloseOptions) with LEAVE_GROUP: Kafka Streams otherwise stays in the group on close.
			factory.setLeaveGroupOnClose(membership.leaveGroupOnClose());
			// A failure while processing must not leave the API without its ledger for good.
			factory.setStreamsUncaughtExceptionHandler((ex) -> {
				if (holds.current().containsKey(UnreadableStatusHandler.READER)) {
					logger.warn("Ledger holds at a record of a newer schema; replacing its thread to read it again");
					return StreamThreadExceptionResponse.REPLACE_THREAD;
				}
				logger.error("Ledger stream thread failed; replacing it", ex);
				return StreamThreadExceptionResponse.REPLACE_THREAD;
			});
		};
	}

	/** A status record nobody can read goes to {@code inloop.job-status-dlt} as raw bytes, with the error. */
	private static DeadLetterPublishingRecoverer poisonToDeadLetters(KafkaProperties properties) {
		Map<String, Object> config = properties.buildProducerProperties();
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		KafkaTemplate<Object, Object> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
		return new DeadLetterPublishingRecoverer(template,
				(record, ex) -> new org.apache.kafka.common.TopicPartition(Topics.deadLetter(record.topic()), -1));
	}

	/** Ready only once the ledger has restored its store and is processing, and is held at no record. */
	@Bean
	HealthIndicator ledger(StreamsBuilderFactoryBean streams, SchemaHolds holds) {
		return () -> {
			KafkaStreams kafkaStreams = streams.getKafkaStreams();
			KafkaStreams.State state = (kafkaStreams != null) ? kafkaStreams.state() : null;
			SchemaHolds.Hold hold = holds.current().get(UnreadableStatusHandler.READER);
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
