package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;

import io.inloop.schemas.Topics;

import org.springframework.stereotype.Component;

/**
 * The depth of the command queue as the share group sees it: commands not yet settled, summed over
 * the partitions ({@code inloop_worker_queue_lag}). Asked of the broker when scraped, at most
 * every few seconds.
 */
@Component
class QueueLag {

	private static final Log logger = LogFactory.getLog(QueueLag.class);

	private static final Duration CACHE = Duration.ofSeconds(5);

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final Admin admin;

	private double last = Double.NaN;

	private Instant askedAt = Instant.EPOCH;

	QueueLag(Admin admin, MeterRegistry registry) {
		this.admin = admin;
		Gauge.builder("inloop.worker.queue.lag", this, QueueLag::lag)
			.description("Commands in the workers' share group not yet settled (queued or running)")
			.register(registry);
	}

	synchronized double lag() {
		if (Instant.now().isAfter(this.askedAt.plus(CACHE))) {
			this.askedAt = Instant.now();
			this.last = ask();
		}
		return this.last;
	}

	private double ask() {
		try {
			Map<?, SharePartitionOffsetInfo> partitions = this.admin
				.listShareGroupOffsets(Map.of(Topics.WORKER_GROUP, new ListShareGroupOffsetsSpec()))
				.partitionsToOffsetInfo(Topics.WORKER_GROUP)
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return partitions.values().stream().mapToLong((info) -> info.lag().orElse(0L)).sum();
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.debug("Could not read the queue's lag: " + ex.getMessage());
			return Double.NaN;
		}
	}


}
