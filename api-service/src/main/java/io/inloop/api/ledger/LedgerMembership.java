package io.inloop.api.ledger;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the ledger's Kafka Streams member joins and leaves its group, so that restarts and crashes
 * do not wait out {@code session.timeout.ms}.
 *
 * @param instanceId static membership ({@code group.instance.id} of the Streams consumer, with the
 * thread index appended by Kafka Streams): stable across restarts of one instance, distinct per
 * instance; blank for dynamic membership
 * @param leaveGroupOnClose whether a clean stop leaves the group at once
 */
@ConfigurationProperties("inloop.ledger.membership")
public record LedgerMembership(@DefaultValue("api-service") String instanceId,
		@DefaultValue("true") boolean leaveGroupOnClose) {
}
