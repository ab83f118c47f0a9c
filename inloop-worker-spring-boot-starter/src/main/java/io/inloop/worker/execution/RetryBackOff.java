package io.inloop.worker.execution;

import java.time.Duration;

import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The one place that decides how long a job waits before its next attempt: the {@code RETRYING}
 * snapshot announces this time, and the error handler waits exactly until it.
 */
@Component
class RetryBackOff {

	private final ExponentialBackOff backOff;

	RetryBackOff(WorkerSettings settings) {
		WorkerSettings.Retry retry = settings.retry();
		this.backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
		this.backOff.setMaxInterval(retry.maxInterval().toMillis());
		this.backOff.setJitter(retry.jitter().toMillis());
	}

	/** The wait after attempt {@code failedAttempt} (1, 2, ...) failed, jitter included. */
	Duration after(int failedAttempt) {
		BackOffExecution execution = this.backOff.start();
		long interval = 0;
		for (int attempt = 1; attempt <= failedAttempt; attempt++) {
			interval = execution.nextBackOff();
		}
		return Duration.ofMillis(Math.max(0, interval));
	}

}
