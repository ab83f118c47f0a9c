package io.inloop.worker.execution;

import java.time.Duration;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Job metrics, read off the snapshots as they are published (docs/operations.md lists them):
 * every snapshot the worker writes passes here, so nothing is counted twice or missed.
 */
@Component
class JobMetrics {

	private final MeterRegistry registry;

	JobMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void record(JobStatusChanged snapshot) {
		String type = snapshot.getType();
		if (snapshot.getState() == JobState.RUNNING && snapshot.getSequence() == 0) {
			if (snapshot.getAttempt() == 1 && snapshot.getStartedAt() != null) {
				Timer.builder("inloop.jobs.queue.wait")
					.description("Time from submission to the first attempt's start")
					.tag("type", type)
					.publishPercentileHistogram()
					.register(this.registry)
					.record(Duration.between(snapshot.getSubmittedAt(), snapshot.getStartedAt()));
			}
			Counter.builder("inloop.jobs.attempts")
				.description("Attempts started")
				.tag("type", type)
				.register(this.registry)
				.increment();
		}
		if (JobLifecycle.isTerminal(snapshot.getState())) {
			String outcome = snapshot.getState().name().toLowerCase(java.util.Locale.ROOT);
			Counter.builder("inloop.jobs.completed")
				.description("Jobs that ended, by outcome (succeeded, failed, cancelled)")
				.tag("type", type)
				.tag("outcome", outcome)
				.register(this.registry)
				.increment();
			if (snapshot.getStartedAt() != null && snapshot.getFinishedAt() != null) {
				Timer.builder("inloop.jobs.duration")
					.description("Run time of a job's last attempt, from start to end")
					.tag("type", type)
					.tag("outcome", outcome)
					.publishPercentileHistogram()
					.register(this.registry)
					.record(Duration.between(snapshot.getStartedAt(), snapshot.getFinishedAt()));
			}
		}
	}

}
