package io.inloop.notifier.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.inloop.history.OutsideGroup;
import io.inloop.history.ReadBacks;
import io.inloop.schemas.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;


/** The status feed and the history reader on Boot's spring.kafka.* settings, readiness and metrics. */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

	@Bean
	StatusFeed statusFeed(KafkaProperties kafka, JobFrameListener listener, StatusFeedSettings settings,
			MeterRegistry meters, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		Map<String, Object> config = consumerConfig(kafka, "notifier-status-feed");
		StatusFeed feed = new StatusFeed(Topics.JOB_STATUS, () -> {
			KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
					new ByteArrayDeserializer());
			// Consumer lag and fetch metrics of the feed, as Boot binds them for its own consumers.
			new KafkaClientMetrics(consumer).bindTo(meters);
			return consumer;
		}, listener, settings);
		tracer.ifAvailable((available) -> propagator
			.ifAvailable((headers) -> feed.observeDeliveries(new TracedDeliveries(available, headers))));
		return feed;
	}

	@Bean
	ReadBacks readBacks(StatusHistorySettings settings, StatusFeedSettings feed) {
		return new ReadBacks(settings.readBacks(), "status-history", feed.pollTimeout());
	}

	@Bean
	StatusHistory statusHistory(KafkaProperties kafka, ReadBacks readBacks) {
		Map<String, Object> config = consumerConfig(kafka, "notifier-status-history");
		// A client id per consumer, or the consumers' metrics would collide.
		AtomicLong readers = new AtomicLong();
		return new StatusHistory(Topics.JOB_STATUS, () -> {
			Map<String, Object> own = new HashMap<>(config);
			own.put(ConsumerConfig.CLIENT_ID_CONFIG, config.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-"
					+ readers.incrementAndGet());
			return new KafkaConsumer<>(own, new ByteArrayDeserializer(), new ByteArrayDeserializer());
		}, readBacks);
	}

	/** Part of readiness: a notifier that has not read the recent history yet would serve incomplete snapshots. */
	@Bean
	HealthIndicator statusFeedHealthIndicator(StatusFeed feed) {
		return () -> (feed.isCaughtUp() ? Health.up() : Health.outOfService()).withDetail("topic", feed.topic())
			.withDetail("partitions", feed.assignedPartitions())
			.withDetail("caughtUp", feed.isCaughtUp())
			.build();
	}

	private static Map<String, Object> consumerConfig(KafkaProperties kafka, String clientId) {
		// Every instance reads every partition itself.
		Map<String, Object> config = OutsideGroup.consumerConfig(kafka.buildConsumerProperties());
		config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
		return config;
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

	@Bean
	MeterBinder readBackMetrics(ReadBacks readBacks) {
		return (registry) -> Gauge.builder("inloop.notifier.history.read-backs", readBacks, ReadBacks::underWay)
			.description("Read-backs of the status topic under way (cursors older than the in-memory window)")
			.register(registry);
	}

}
