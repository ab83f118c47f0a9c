package io.inloop.worker.execution;

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

	JobSlotsHealth(JobQueue queue) {
		this.queue = queue;
	}

	@Override
	public Health health() {
		long dead = this.queue.deadSlots();
		Health.Builder health = (dead == 0) ? Health.up() : Health.down();
		return health.withDetail("slots", this.queue.slots()).withDetail("dead", dead).build();
	}

}
