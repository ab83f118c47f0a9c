package io.inloop.api.history;

import io.inloop.history.ReadBackLimits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * How much status history this instance reads back at once for {@code /api/jobs/{id}/events} and
 * {@code /admin/events}.
 *
 * @param readBacks per user, per instance, per read-back (docs/protocol.md, "Read-back limits")
 */
@ConfigurationProperties("inloop.api.history")
record HistorySettings(@NestedConfigurationProperty ReadBackLimits readBacks) {

}
