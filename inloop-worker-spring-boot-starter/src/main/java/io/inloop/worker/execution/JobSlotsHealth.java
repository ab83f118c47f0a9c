package io.inloop.worker.execution;

import java.util.Map;

import io.inloop.schemas.serde.SchemaHolds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness includes the job slots: a worker whose slot threads died takes fewer jobs or none,
 * and must show it rather than stay green. The counts are also gauges ({@code inloop.worker.slots},
 * {@code inloop.worker.slots.dead}), for alerts.
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
		Gauge.builder("inloop.worker.slots.dead", queue, JobQueue::deadSlots)
			.description("Job slots whose thread stopped on an unexpected error")
			.register(meters);
	}

	/** Down with dead slots; out of service while a slot or the control listener holds a record of a newer schema. */
	@Override
	public Health health() {
		long dead = this.queue.deadSlots();
		Map<String, SchemaHolds.Hold> held = this.holds.current();
		Health.Builder health = (dead != 0) ? Health.down() : held.isEmpty() ? Health.up() : Health.outOfService();
		health.withDetail("slots", this.queue.slots()).withDetail("dead", dead);
		if (!held.isEmpty()) {
			health.withDetail("held", held);
		}
		return health.build();
	}

}
