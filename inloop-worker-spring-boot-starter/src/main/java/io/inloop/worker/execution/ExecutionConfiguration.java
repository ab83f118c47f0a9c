package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

/**
 * The Kafka pieces Boot's properties cannot express. Broker, producer and consumer settings stay
 * in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionConfiguration {

	/** A negative partition lets the producer pick it from the key. */
	private static final int PARTITION_BY_KEY = -1;

	/** Where this release publishes the schemas it writes, and looks up those of newer writers. */
	@Bean
	SchemaCatalog schemaCatalog(KafkaProperties kafka) {
		return new SchemaCatalog(kafka.buildProducerProperties(), kafka.buildConsumerProperties());
	}

	/** The readers (job slots, the control listener) held at a record of a schema they cannot read yet. */
	@Bean
	SchemaHolds schemaHolds() {
		return new SchemaHolds();
	}

	// Avro serializers need their record class: snapshots, retried commands; dead letters keep the raw bytes of the record
	@Bean
	DefaultKafkaProducerFactoryCustomizer statusSerializer(SchemaCatalog catalog) {
		return (factory) -> writeStatusAndDeadLetters(factory, catalog);
	}

	/** The job's error code on a dead-lettered command. */
	static final String ERROR_CODE_HEADER = "inloop_error-code";

	// Dead letters keep the command's raw bytes and say why in spring-kafka's DLT headers, plus the job's error code
	@Bean
	DeadLetterPublishingRecoverer commandDeadLetters(KafkaTemplate<Object, Object> template) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
				ExecutionConfiguration::deadLetterPartition);
		recoverer.addHeadersFunction(ExecutionConfiguration::errorCode);
		return recoverer;
	}

	private static Headers errorCode(ConsumerRecord<?, ?> record, Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof JobDeadLetteredException deadLettered) {
				return new RecordHeaders().add(ERROR_CODE_HEADER,
						deadLettered.failure().code().getBytes(StandardCharsets.UTF_8));
			}
		}
		return new RecordHeaders();
	}

	private static TopicPartition deadLetterPartition(ConsumerRecord<?, ?> record, Exception ex) {
		return new TopicPartition(Topics.deadLetter(record.topic()), PARTITION_BY_KEY);
	}

	@SuppressWarnings("unchecked")
	private static void writeStatusAndDeadLetters(DefaultKafkaProducerFactory<?, ?> factory, SchemaCatalog catalog) {
		((DefaultKafkaProducerFactory<Object, Object>) factory)
			.setValueSerializerSupplier(() -> new DelegatingByTypeSerializer(Map.of(JobStatusChanged.class,
					new AvroSerializer<>(JobStatusChanged.class, catalog), SubmitJob.class,
					new AvroSerializer<>(SubmitJob.class, catalog), byte[].class, new ByteArraySerializer())));
	}

}
