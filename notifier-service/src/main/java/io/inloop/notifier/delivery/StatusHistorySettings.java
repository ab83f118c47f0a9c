package io.inloop.notifier.delivery;

import io.inloop.history.ReadBackLimits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * How old events are read back from the status topic, for cursors older than the in-memory window.
 *
 * @param readBacks per user, per instance (each on a thread of its own), per read-back
 * (docs/protocol.md, "Read-back limits")
 */
@ConfigurationProperties("inloop.notifier.history")
public record StatusHistorySettings(@NestedConfigurationProperty ReadBackLimits readBacks) {

}
