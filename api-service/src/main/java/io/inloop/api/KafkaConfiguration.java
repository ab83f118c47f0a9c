package io.inloop.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

/** Avro serde instances for Inloop's records; connection and tuning stay in {@code spring.kafka.*}. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(KafkaConfiguration.class);

	@Bean
	KafkaAdmin.NewTopics inloopTopics(TopicSettings settings) {
		return new KafkaAdmin.NewTopics(Topics
			.definitions(settings.partitions(), settings.replicationFactor(), settings.statusRetention())
			.toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
	}

	/** Where this release publishes the schemas it writes, and looks up those of newer writers. */
	@Bean
	SchemaCatalog schemaCatalog(KafkaProperties properties) {
		return new SchemaCatalog(properties.buildProducerProperties(), properties.buildConsumerProperties());
	}

	/** The readers held at a record of a schema they cannot read yet, for health. */
	@Bean
	SchemaHolds schemaHolds() {
		return new SchemaHolds();
	}

	/** One producer for every record the API writes, serialised by its type. */
	@Bean
	KafkaTemplate<String, SpecificRecord> kafkaTemplate(KafkaProperties properties, SchemaCatalog catalog) {
		Map<Class<?>, Serializer<?>> serializers = new LinkedHashMap<>();
		serializers.put(SubmitJob.class, new AvroSerializer<>(SubmitJob.class, catalog));
		serializers.put(JobStatusChanged.class, new AvroSerializer<>(JobStatusChanged.class, catalog));
		serializers.put(CancelJob.class, new AvroSerializer<>(CancelJob.class, catalog));
		@SuppressWarnings({ "unchecked", "rawtypes" })
		Serializer<SpecificRecord> values = (Serializer) new DelegatingByTypeSerializer(serializers);
		KafkaTemplate<String, SpecificRecord> template = new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(properties.buildProducerProperties(), new StringSerializer(), values));
		// The submitting request's trace travels in each record's headers to the worker and the notifier.
		template.setObservationEnabled(true);
		return template;
	}

	/**
	 * Creates the producer, fetches its topics' metadata and publishes the schemas it writes at
	 * start-up, so the first requests' sends, which run on the event loop, wait for none of them.
	 */
	@Bean
	ApplicationRunner warmUpProducer(KafkaTemplate<String, SpecificRecord> kafka, SchemaCatalog catalog) {
		return (arguments) -> {
			for (Schema schema : List.of(SubmitJob.getClassSchema(), JobStatusChanged.getClassSchema(),
					CancelJob.getClassSchema())) {
				try {
					catalog.publish(schema);
				}
				catch (KafkaException ex) {
					logger.warn("Schema not published yet; the first send will publish it: {}", ex.getMessage());
				}
			}
			for (String topic : List.of(Topics.JOB_STATUS, Topics.JOB_COMMANDS, Topics.JOB_CONTROL)) {
				try {
					kafka.partitionsFor(topic);
				}
				catch (KafkaException ex) {
					logger.warn("No metadata for {} yet; the first send will fetch it: {}", topic, ex.getMessage());
				}
			}
		};
	}

}
