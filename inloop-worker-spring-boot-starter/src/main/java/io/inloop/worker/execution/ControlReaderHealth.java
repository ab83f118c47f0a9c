package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.inloop.history.TopicTail;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Readiness includes the control reader: a worker that does not hear of cancellations runs jobs
 * their owners see CANCELLED. Down, with the reason, when the reader stopped, when its consumer
 * failed and it is reconnecting, when the control topic's end cannot be seen, or when records
 * written {@code max-lag} ago are still unread; out of service while it reads back at start-up.
 * Also shows how many cancellations are remembered, and how many were forgotten for want of room.
 * The status is a gauge too ({@code inloop.worker.control-reader.up}: 1 when up), for alerts.
 */
@Component("controlReader")
class ControlReaderHealth implements HealthIndicator {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private static final Duration CACHE = Duration.ofSeconds(1);

	private final CancellationListener reader;

	private final Cancellations cancellations;

	private final Admin admin;

	private final Duration maxLag;

	/** The topic's ends as seen at {@code at}, which the reader has not reached yet; null when it had. */
	private @Nullable Mark behind;

	private @Nullable Health last;

	private Instant checkedAt = Instant.EPOCH;

	ControlReaderHealth(CancellationListener reader, Cancellations cancellations, Admin admin, WorkerSettings settings,
			MeterRegistry meters) {
		this.reader = reader;
		this.cancellations = cancellations;
		this.admin = admin;
		this.maxLag = settings.cancellation().maxLag();
		Gauge.builder("inloop.worker.control-reader.up", this, (health) -> Status.UP.equals(health.health().getStatus()) ? 1 : 0)
			.description("1 when the control reader hears of cancellations in time, 0 when it is down or still reading back")
			.register(meters);
	}

	@Override
	public synchronized Health health() {
		if (this.last == null || Instant.now().isAfter(this.checkedAt.plus(CACHE))) {
			this.last = check().withDetail("topic", this.reader.tail().topic())
				.withDetail("remembered", this.cancellations.remembered())
				.withDetail("maxRemembered", this.cancellations.maxRemembered())
				.withDetail("forgottenEarly", this.cancellations.forgottenEarly())
				.withDetail("horizon", this.cancellations.horizon().toString())
				.build();
			this.checkedAt = Instant.now();
		}
		return this.last;
	}

	private Health.Builder check() {
		TopicTail tail = this.reader.tail();
		CancellationListener.Failure failure = this.reader.lastFailure();
		if (!tail.isRunning()) {
			return Health.down().withDetail("reason", "the control reader is not running");
		}
		if (!tail.isAssigned()) {
			return (failure != null)
					? Health.down().withDetail("reason", "reading failed, reconnecting: " + failure.error())
						.withDetail("failedAt", failure.at().toString())
					: Health.outOfService().withDetail("reason", "waiting for the control topic");
		}
		Map<Integer, Long> positions = this.reader.positions();
		Map<Integer, Long> ends;
		try {
			ends = ends(tail.topic(), positions);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.behind = null;
			return Health.down().withDetail("reason", "cannot see the control topic's end: " + ex);
		}
		long unread = unread(positions, ends);
		if (!tail.isCaughtUp()) {
			return Health.outOfService().withDetail("reason", "reading back the cancellations of the last "
					+ this.cancellations.horizon()).withDetail("unread", unread);
		}
		Instant now = Instant.now();
		if (this.behind != null && unread(positions, this.behind.ends()) == 0) {
			this.behind = null;
		}
		if (this.behind == null && unread > 0) {
			this.behind = new Mark(now, ends);
		}
		if (this.behind != null && this.behind.at().plus(this.maxLag).isBefore(now)) {
			return Health.down().withDetail("reason", "cancellations written " + Duration.between(this.behind.at(), now)
					+ " ago are still unread").withDetail("unread", unread);
		}
		return Health.up().withDetail("unread", unread);
	}

	private Map<Integer, Long> ends(String topic, Map<Integer, Long> positions) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = positions.keySet()
			.stream()
			.collect(Collectors.toMap((partition) -> new TopicPartition(topic, partition), (partition) -> OffsetSpec.latest()));
		return this.admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs((int) TIMEOUT.toMillis()))
			.all()
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.entrySet()
			.stream()
			.collect(Collectors.toMap((entry) -> entry.getKey().partition(), (entry) -> entry.getValue().offset()));
	}

	private static long unread(Map<Integer, Long> positions, Map<Integer, Long> ends) {
		return ends.entrySet()
			.stream()
			.mapToLong((end) -> Math.max(0, end.getValue() - positions.getOrDefault(end.getKey(), 0L)))
			.sum();
	}

	private record Mark(Instant at, Map<Integer, Long> ends) {

	}

}
