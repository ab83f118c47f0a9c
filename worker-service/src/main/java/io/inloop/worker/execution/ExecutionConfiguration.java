package io.inloop.worker.execution;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The Kafka pieces Boot's properties cannot express. Broker, producer and consumer settings stay
 * in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionConfiguration {

	/** A negative partition lets the producer pick it from the key. */
	private static final int PARTITION_BY_KEY = -1;

	/** Time for the terminal snapshot and the commit after the grace period of the jobs has passed. */
	private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

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

	/** The job's error code on a dead-lettered command whose attempts are exhausted. */
	static final String ERROR_CODE_HEADER = "inloop_error-code";

	/** Redeliver at once: the wait, if any, is the {@link ScheduledRetries}' to decide. */
	private static final BackOff REDELIVER = new FixedBackOff(0, FixedBackOff.UNLIMITED_ATTEMPTS);

	// Concurrency is a worker setting (inloop.worker.concurrency), applied to the command listener only;
	// the rebalance listener reads the attempt marks, and stopping waits for running jobs' grace period
	@Bean
	ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> commandContainer(
			WorkerSettings settings, Attempts attempts) {
		return (container) -> {
			if (JobCommandListener.ID.equals(container.getListenerId())) {
				container.setConcurrency(settings.concurrency());
				container.getContainerProperties().setConsumerRebalanceListener(attempts);
				container.getContainerProperties()
					.setShutdownTimeout(settings.shutdownGrace().plus(SHUTDOWN_MARGIN).toMillis());
			}
		};
	}

	// Retries of a job are scheduled by the job runner (RetryScheduledException): seek back and wait for
	// exactly the announced time. Exhausted jobs and unreadable records go to the dead-letter topic at once.
	// Anything else, such as a status topic that cannot be written, is retried and never dropped.
	@Bean
	DefaultErrorHandler commandErrorHandler(KafkaTemplate<Object, Object> template, Cancellations cancellations) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
				ExecutionConfiguration::deadLetterPartition);
		recoverer.addHeadersFunction(ExecutionConfiguration::errorCode);
		ExponentialBackOff untilWritten = new ExponentialBackOff(500, 2);
		untilWritten.setMaxInterval(10_000);
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, untilWritten, new ScheduledRetries(cancellations));
		handler.setBackOffFunction((record, ex) -> redeliversAtOnce(ex) ? REDELIVER : untilWritten);
		handler.addNotRetryableExceptions(AttemptsExhaustedException.class);
		handler.setCommitRecovered(true);
		// A retry is part of a job's life, told to its owner; the runner logs what went wrong
		handler.setLogLevel(KafkaException.Level.DEBUG);
		return handler;
	}

	private static boolean redeliversAtOnce(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetryScheduledException || cause instanceof JobHandedBackException) {
				return true;
			}
		}
		return false;
	}

	private static Headers errorCode(ConsumerRecord<?, ?> record, Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AttemptsExhaustedException exhausted) {
				return new RecordHeaders().add(ERROR_CODE_HEADER,
						exhausted.failure().code().getBytes(StandardCharsets.UTF_8));
			}
		}
		return new RecordHeaders();
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
