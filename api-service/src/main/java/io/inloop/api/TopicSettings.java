package io.inloop.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How api-service creates Inloop's topics when they do not exist yet.
 *
 * @param partitions partitions per topic: bounds worker and ledger parallelism
 * @param replicationFactor copies of each partition (1 only for a single local broker)
 * @param statusRetention how long the replayable status history is kept
 */
@ConfigurationProperties("inloop.topics")
public record TopicSettings(@DefaultValue("6") int partitions, @DefaultValue("1") short replicationFactor,
		@DefaultValue("7d") Duration statusRetention) {
}
