package io.inloop.worker.execution;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka pieces Boot's properties cannot express. Broker, producer and consumer settings stay
 * in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionConfiguration {

	/** A negative partition lets the producer pick it from the key. */
	private static final int PARTITION_BY_KEY = -1;

	// Avro deserializers need their record class, which consumer properties cannot pass
	@Bean
	DefaultKafkaConsumerFactoryCustomizer commandDeserializer() {
		return ExecutionConfiguration::readCommands;
	}

	// Avro serializers need their record class; dead letters keep the raw bytes of the record
	@Bean
	DefaultKafkaProducerFactoryCustomizer statusSerializer() {
		return ExecutionConfiguration::writeStatusAndDeadLetters;
	}

	// Concurrency is a worker setting (inloop.worker.concurrency), applied to the command listener only
	@Bean
	ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> commandConcurrency(
			WorkerSettings settings) {
		return (container) -> {
			if (JobCommandListener.ID.equals(container.getListenerId())) {
				container.setConcurrency(settings.concurrency());
			}
		};
	}

	// Unreadable records go to the dead-letter topic at once (deserialization errors are not
	// retryable); anything else, such as a status topic that cannot be written, is retried and never dropped
	@Bean
	DefaultErrorHandler commandErrorHandler(KafkaTemplate<Object, Object> template) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
				ExecutionConfiguration::deadLetterPartition);
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2);
		backOff.setMaxInterval(10_000);
		return new DefaultErrorHandler(recoverer, backOff);
	}

	private static TopicPartition deadLetterPartition(ConsumerRecord<?, ?> record, Exception ex) {
		return new TopicPartition(Topics.deadLetter(record.topic()), PARTITION_BY_KEY);
	}

	@SuppressWarnings("unchecked")
	private static void readCommands(DefaultKafkaConsumerFactory<?, ?> factory) {
		// Wrapped so that an unreadable record becomes an error for the error handler, not a stuck consumer
		((DefaultKafkaConsumerFactory<Object, SubmitJob>) factory).setValueDeserializerSupplier(
				() -> new ErrorHandlingDeserializer<>(new AvroDeserializer<>(SubmitJob.class)));
	}

	@SuppressWarnings("unchecked")
	private static void writeStatusAndDeadLetters(DefaultKafkaProducerFactory<?, ?> factory) {
		((DefaultKafkaProducerFactory<Object, Object>) factory)
			.setValueSerializerSupplier(() -> new DelegatingByTypeSerializer(
					Map.of(JobStatusChanged.class, new AvroSerializer<>(JobStatusChanged.class), SubmitJob.class,
							new AvroSerializer<>(SubmitJob.class), byte[].class, new ByteArraySerializer())));
	}

}
