package io.inloop.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/** Avro serde instances for Inloop's records; connection and tuning stay in {@code spring.kafka.*}. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	KafkaAdmin.NewTopics inloopTopics(TopicSettings settings) {
		return new KafkaAdmin.NewTopics(Topics
			.definitions(settings.partitions(), settings.replicationFactor(), settings.statusRetention())
			.toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
	}

	/** One producer for both records a submission writes, serialised by their type. */
	@Bean
	KafkaTemplate<String, SpecificRecord> kafkaTemplate(KafkaProperties properties) {
		Map<Class<?>, Serializer<?>> serializers = new LinkedHashMap<>();
		serializers.put(SubmitJob.class, new AvroSerializer<>(SubmitJob.class));
		serializers.put(JobStatusChanged.class, new AvroSerializer<>(JobStatusChanged.class));
		@SuppressWarnings({ "unchecked", "rawtypes" })
		Serializer<SpecificRecord> values = (Serializer) new DelegatingByTypeSerializer(serializers);
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(properties.buildProducerProperties(),
				new StringSerializer(), values));
	}

	/** Poison status records are logged and skipped: the ledger must keep going. */
	@Bean
	ConcurrentKafkaListenerContainerFactory<String, JobStatusChanged> statusListenerContainerFactory(
			KafkaProperties properties) {
		ConcurrentKafkaListenerContainerFactory<String, JobStatusChanged> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(properties.buildConsumerProperties(),
				new StringDeserializer(), new ErrorHandlingDeserializer<>(new AvroDeserializer<>(JobStatusChanged.class))));
		factory.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(0L, 0L)));
		return factory;
	}

}
