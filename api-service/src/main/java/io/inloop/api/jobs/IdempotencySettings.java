package io.inloop.api.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What an instance remembers of the jobs that an {@code Idempotency-Key} made, to tell a repeat
 * from a reuse of the key for another request without reading the job's command back from Kafka.
 *
 * @param remembered how many jobs' fingerprints at most (about 200 bytes each); beyond that, and
 * after a restart, a repeat reads its job's command back instead
 * @param rememberFor how long after the job was made
 */
@ConfigurationProperties("inloop.api.idempotency")
record IdempotencySettings(@DefaultValue("50000") int remembered, @DefaultValue("24h") Duration rememberFor) {

	IdempotencySettings {
		if (remembered < 0) {
			throw new IllegalArgumentException("inloop.api.idempotency.remembered must be 0 or more, not " + remembered);
		}
		if (rememberFor.isNegative()) {
			throw new IllegalArgumentException("inloop.api.idempotency.remember-for must not be negative");
		}
	}

}
