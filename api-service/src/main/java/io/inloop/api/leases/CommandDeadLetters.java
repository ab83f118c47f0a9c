package io.inloop.api.leases;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Dead letters of commands whose jobs failed because their workers kept going silent: the command's
 * record as it was read back, on {@code inloop.job-commands-dlt}, with spring-kafka's
 * {@code kafka_dlt-*} headers and {@value Topics#ERROR_CODE_HEADER} {@code worker-lost}, as the
 * workers write theirs, so {@code inloop dlt} lists and resubmits them alike. Its producer is made
 * on the first dead letter: most instances never write one.
 */
@Component
class CommandDeadLetters implements DisposableBean {

	private final DefaultKafkaProducerFactory<Object, Object> producers;

	private final DeadLetterPublishingRecoverer recoverer;

	CommandDeadLetters(KafkaProperties properties) {
		Map<String, Object> config = properties.buildProducerProperties();
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, "inloop-api-dead-letters");
		this.producers = new DefaultKafkaProducerFactory<>(config);
		this.recoverer = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(this.producers),
				(record, ex) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
		this.recoverer.addHeadersFunction((record, ex) -> new RecordHeaders().add(Topics.ERROR_CODE_HEADER,
				JobSnapshots.WORKER_LOST.getBytes(StandardCharsets.UTF_8)));
	}

	DeadLetterPublishingRecoverer recoverer() {
		return this.recoverer;
	}

	@Override
	public void destroy() {
		this.producers.destroy();
	}

}
