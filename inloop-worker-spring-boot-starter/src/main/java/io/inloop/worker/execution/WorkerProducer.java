package io.inloop.worker.execution;

import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerConfig;

import io.inloop.schemas.JobStatusChanged;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * The worker's own producer, for snapshots, retried commands and dead letters. Not Boot's
 * {@code KafkaTemplate}: a host app's template keeps its own serializers and settings, and the
 * worker keeps the settings it relies on whatever the host app's {@code spring.kafka.producer.*}
 * say (every snapshot durable, written once, in order, and sent at once).
 */
final class WorkerProducer implements ApplicationContextAware, SmartInitializingSingleton, DisposableBean {

	/** What the worker's ordering and latency rest on, over {@code spring.kafka.producer.*}. */
	static final Map<String, Object> REQUIRED = Map.of(ProducerConfig.ACKS_CONFIG, "all",
			ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0);

	private final DefaultKafkaProducerFactory<Object, Object> factory;

	private final KafkaTemplate<Object, Object> template;

	private final DeadLetterPublishingRecoverer deadLetters;

	WorkerProducer(DefaultKafkaProducerFactory<Object, Object> factory,
			Function<KafkaTemplate<Object, Object>, DeadLetterPublishingRecoverer> deadLetters) {
		this.factory = factory;
		this.template = new KafkaTemplate<>(factory);
		// Continues the job's trace in the records' headers (traceparent)
		this.template.setObservationEnabled(true);
		this.deadLetters = deadLetters.apply(this.template);
	}

	/** Commands (retries) and snapshots, by their Avro type; raw bytes (dead letters) as they are. */
	KafkaTemplate<Object, Object> template() {
		return this.template;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	KafkaTemplate<String, JobStatusChanged> snapshots() {
		return (KafkaTemplate) this.template;
	}

	DeadLetterPublishingRecoverer deadLetters() {
		return this.deadLetters;
	}

	/** The producer's settings, as the worker's producers get them. */
	Map<String, Object> configuration() {
		return this.factory.getConfigurationProperties();
	}

	@Override
	public void setApplicationContext(ApplicationContext context) throws BeansException {
		this.template.setApplicationContext(context);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.template.afterSingletonsInstantiated();
	}

	@Override
	public void destroy() {
		this.template.destroy();
		this.factory.destroy();
	}

}
