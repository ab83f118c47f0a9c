package io.inloop.worker.execution;

import java.util.Map;

import io.inloop.schemas.serde.SchemaHolds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness includes the job slots: a worker whose command fetchers died takes fewer jobs or none,
 * and must show it rather than stay green. The counts are also gauges ({@code inloop.worker.slots},
 * {@code inloop.worker.slots.busy}, {@code inloop.worker.slots.dead}), for alerts and dashboards.
 */
@Component("jobSlots")
class JobSlotsHealth implements HealthIndicator {

	private final JobQueue queue;

	private final SchemaHolds holds;

	JobSlotsHealth(JobQueue queue, SchemaHolds holds, MeterRegistry meters) {
		this.queue = queue;
		this.holds = holds;
		Gauge.builder("inloop.worker.slots", queue, JobQueue::slots)
			.description("Job slots of this worker")
			.register(meters);
		Gauge.builder("inloop.worker.slots.busy", queue, JobQueue::busySlots)
			.description("Job slots running a job now")
			.register(meters);
		Gauge.builder("inloop.worker.slots.dead", queue, JobQueue::deadSlots)
			.description("Job slots that take no more jobs: every command fetcher stopped on an unexpected error")
			.register(meters);
	}

	/**
	 * Down when a command fetcher stopped; out of service while a fetcher or the control listener
	 * holds a record of a newer schema.
	 */
	@Override
	public Health health() {
		long deadFetchers = this.queue.deadFetchers();
		Map<String, SchemaHolds.Hold> held = this.holds.current();
		Health.Builder health = (deadFetchers != 0) ? Health.down() : held.isEmpty() ? Health.up() : Health.outOfService();
		health.withDetail("slots", this.queue.slots())
			.withDetail("busy", this.queue.busySlots())
			.withDetail("dead", this.queue.deadSlots())
			.withDetail("deadFetchers", deadFetchers);
		if (!held.isEmpty()) {
			health.withDetail("held", held);
		}
		return health.build();
	}

}
