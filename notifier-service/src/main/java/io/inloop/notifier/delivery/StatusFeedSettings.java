package io.inloop.notifier.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the status feed reads the topic.
 *
 * @param pollTimeout longest wait in one poll when nothing arrives; records are handed on at once
 * @param retryInterval pause between looking for a missing topic, and before reconnecting after a failure
 * @param horizon how far back the feed starts reading when the notifier starts: jobs without an
 * event since then are unknown to it (no snapshot for a first connection)
 * @param decoderThreads threads that turn records into frames (Avro to the frame's JSON, then the
 * fan-out), each partition always on the same one; 1 does it on the reading thread
 */
@ConfigurationProperties("inloop.notifier.feed")
public record StatusFeedSettings(Duration pollTimeout, Duration retryInterval, Duration horizon,
		@DefaultValue("2") int decoderThreads) {

	public StatusFeedSettings {
		if (decoderThreads < 1) {
			throw new IllegalArgumentException("inloop.notifier.feed.decoder-threads must be at least 1");
		}
	}

}
