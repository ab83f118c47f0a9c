package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness includes Kafka: a worker that cannot reach the cluster takes no work, so it should not
 * be counted as ready. The answer is cached briefly so probes do not hammer the brokers.
 */
@Component("kafka")
class KafkaHealth implements HealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static final Duration CACHE = Duration.ofSeconds(5);

	private final Admin admin;

	private @Nullable Health last;

	private Instant checkedAt = Instant.EPOCH;

	KafkaHealth(Admin admin) {
		this.admin = admin;
	}

	@Override
	public synchronized Health health() {
		if (this.last == null || Instant.now().isAfter(this.checkedAt.plus(CACHE))) {
			this.last = check();
			this.checkedAt = Instant.now();
		}
		return this.last;
	}

	private Health check() {
		try {
			int nodes = this.admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
				.nodes()
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
				.size();
			return Health.up().withDetail("brokers", nodes).build();
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return Health.down().withDetail("error", String.valueOf(ex.getMessage())).build();
		}
	}


}
