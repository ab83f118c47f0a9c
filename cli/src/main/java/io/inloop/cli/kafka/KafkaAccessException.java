package io.inloop.cli.kafka;

import java.time.Duration;

/** The cluster could not be used as asked: unreachable, or without the topic. Reported in one line. */
public class KafkaAccessException extends RuntimeException {

	public KafkaAccessException(String message, Throwable cause) {
		super(message, cause);
	}

	public KafkaAccessException(String message) {
		super(message);
	}

	static KafkaAccessException unreachable(String bootstrapServers, Duration timeout, Throwable cause) {
		return new KafkaAccessException("Cannot reach Kafka at " + bootstrapServers + " within "
				+ timeout.toSeconds() + " s (--bootstrap-servers, --timeout)", cause);
	}

	static KafkaAccessException noTopic(String topic, String bootstrapServers) {
		return new KafkaAccessException("Topic " + topic + " does not exist on " + bootstrapServers);
	}

}
