package io.inloop.notifier.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the status feed reads the topic.
 *
 * @param pollTimeout longest wait in one poll when nothing arrives; records are handed on at once
 * @param retryInterval pause between looking for a missing topic, and before reconnecting after a failure
 * @param horizon how far back the feed starts reading when the notifier starts: jobs without an
 * event since then are unknown to it (no snapshot for a first connection)
 */
@ConfigurationProperties("inloop.notifier.feed")
public record StatusFeedSettings(Duration pollTimeout, Duration retryInterval, Duration horizon) {

}
