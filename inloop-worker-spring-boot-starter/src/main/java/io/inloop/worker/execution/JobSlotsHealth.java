package io.inloop.worker.execution;

import java.util.Map;

import io.inloop.schemas.serde.SchemaHolds;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness includes the job slots: a worker whose slot threads died takes fewer jobs or none,
 * and must show it rather than stay green.
 */
@Component("jobSlots")
class JobSlotsHealth implements HealthIndicator {

	private final JobQueue queue;

	private final SchemaHolds holds;

	JobSlotsHealth(JobQueue queue, SchemaHolds holds) {
		this.queue = queue;
		this.holds = holds;
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
