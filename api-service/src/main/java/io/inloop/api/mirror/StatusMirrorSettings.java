package io.inloop.api.mirror;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * @param enabled whether this instance mirrors the status topic to {@code inloop.job-status.json}
 * (off by default: only consumers outside the JVM read it);
 * the instances that have it on share the work (one Kafka Streams application)
 * @param applicationId the mirror's Kafka Streams application id: its consumer group and the
 * prefix of its transactional ids; distinct from the ledger's
 */
@ConfigurationProperties("inloop.status-mirror")
public record StatusMirrorSettings(@DefaultValue("false") boolean enabled,
		@DefaultValue("inloop-status-mirror") String applicationId) {

	public StatusMirrorSettings {
		Assert.hasText(applicationId, "inloop.status-mirror.application-id must not be empty");
	}

}
