package io.inloop.notifier.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the status feed reads the topic.
 *
 * @param pollTimeout longest wait in one poll when nothing arrives; records are handed on at once
 * @param retryInterval pause between looking for a missing topic, and before reconnecting after a failure
 * @param horizon how far back the feed may start reading when the notifier starts, at most: jobs
 * without an event since then are unknown to it (no snapshot for a first connection)
 * @param tail records of each status partition read when the notifier starts, beside the jobs
 * under way it learns from {@code inloop.open-jobs} (more if the ledger that writes that topic is
 * further behind); keep it at least {@code inloop.notifier.resume.window}, which it fills
 */
@ConfigurationProperties("inloop.notifier.feed")
public record StatusFeedSettings(Duration pollTimeout, Duration retryInterval, Duration horizon,
		@DefaultValue("4096") int tail) {

	public StatusFeedSettings {
		if (tail < 0) {
			throw new IllegalArgumentException("inloop.notifier.feed.tail must not be negative");
		}
	}

}
