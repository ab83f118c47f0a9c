package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;

import org.springframework.beans.factory.ObjectProvider;
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
 * in the app's {@code spring.kafka.*}.
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

	/** The job's error code on a dead-lettered command. */
	static final String ERROR_CODE_HEADER = Topics.ERROR_CODE_HEADER;

	/**
	 * Snapshots, retried commands and dead letters, with the producer settings of
	 * {@code spring.kafka.producer.*} and the host app's producer customizers (metrics, ...), but the
	 * worker's own serializers and the settings the worker relies on.
	 */
	@Bean
	WorkerProducer workerProducer(KafkaProperties kafka, ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers,
			SchemaCatalog catalog) {
		Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
		config.putAll(WorkerProducer.REQUIRED);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "inloop-worker");
		DefaultKafkaProducerFactory<Object, Object> factory = new DefaultKafkaProducerFactory<>(config);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
		writeStatusAndDeadLetters(factory, catalog);
		return new WorkerProducer(factory, ExecutionConfiguration::commandDeadLetters);
	}

	// Dead letters keep the command's raw bytes and say why in spring-kafka's DLT headers, plus the job's error code
	private static DeadLetterPublishingRecoverer commandDeadLetters(KafkaTemplate<Object, Object> template) {
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

	// Avro serializers need their record class: snapshots, retried commands; dead letters keep the raw bytes of the record
	private static void writeStatusAndDeadLetters(DefaultKafkaProducerFactory<Object, Object> factory, SchemaCatalog catalog) {
		factory.setValueSerializerSupplier(() -> new DelegatingByTypeSerializer(Map.of(JobStatusChanged.class,
				new AvroSerializer<>(JobStatusChanged.class, catalog), SubmitJob.class,
				new AvroSerializer<>(SubmitJob.class, catalog), byte[].class, new ByteArraySerializer())));
	}

}
