package io.inloop.notifier.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the status feed reads the topic.
 *
 * @param pollTimeout longest wait in one poll when nothing arrives; records are handed on at once
 * @param retryInterval pause between looking for a missing topic, and before reconnecting after a failure
 */
@ConfigurationProperties("inloop.notifier.feed")
public record StatusFeedSettings(Duration pollTimeout, Duration retryInterval) {

}
