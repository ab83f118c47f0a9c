package io.inloop.notifier.delivery;

import java.util.HashMap;
import java.util.Map;

import io.inloop.schemas.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The status feed on Boot's spring.kafka.* settings, its readiness and its metrics. */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

	@Bean
	StatusFeed statusFeed(KafkaProperties kafka, JobFrameListener listener, StatusFeedSettings settings) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		// Every instance reads every partition itself: no group, nothing committed, no topic created by asking.
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "notifier-status-feed");
		return new StatusFeed(Topics.JOB_STATUS,
				() -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()), listener,
				settings);
	}

	/** Part of readiness: a notifier that does not read the topic yet would deliver nothing. */
	@Bean
	HealthIndicator statusFeedHealthIndicator(StatusFeed feed) {
		return () -> (feed.isAssigned() ? Health.up() : Health.outOfService()).withDetail("topic", feed.topic())
			.withDetail("partitions", feed.assignedPartitions())
			.build();
	}

	@Bean
	MeterBinder statusFeedMetrics(StatusFeed feed) {
		return (registry) -> {
			FunctionCounter.builder("inloop.notifier.feed.skipped", feed, StatusFeed::skippedRecords)
				.description("Status records skipped because they could not be read")
				.register(registry);
			Gauge.builder("inloop.notifier.feed.partitions", feed, StatusFeed::assignedPartitions)
				.description("Partitions of the status topic the feed reads")
				.register(registry);
		};
	}

}
