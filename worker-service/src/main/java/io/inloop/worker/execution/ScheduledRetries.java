package io.inloop.worker.execution;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.BackOffHandler;
import org.springframework.kafka.listener.DefaultBackOffHandler;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * How the error handler waits before it redelivers a command. A job's next attempt waits until
 * exactly the time its {@code RETRYING} snapshot announced, and no longer once the job is
 * cancelled (the redelivered command then ends {@code CANCELLED}) or the container stops (the
 * command stays uncommitted). Other errors wait as the error handler's back-off says.
 */
class ScheduledRetries implements BackOffHandler {

	/** How often a wait checks that its container is still running. */
	private static final Duration SLICE = Duration.ofMillis(100);

	private final Cancellations cancellations;

	private final BackOffHandler otherwise = new DefaultBackOffHandler();

	ScheduledRetries(Cancellations cancellations) {
		this.cancellations = cancellations;
	}

	@Override
	public void onNextBackOff(@Nullable MessageListenerContainer container, Exception exception, long nextBackOff) {
		RetryScheduledException retry = find(exception);
		if (retry == null) {
			this.otherwise.onNextBackOff(container, exception, nextBackOff);
			return;
		}
		try {
			Duration left = Duration.between(Instant.now(), retry.nextAttemptAt());
			while (left.compareTo(Duration.ZERO) > 0 && (container == null || container.isRunning())) {
				if (this.cancellations.await(retry.jobId(), (left.compareTo(SLICE) < 0) ? left : SLICE)) {
					return;
				}
				left = Duration.between(Instant.now(), retry.nextAttemptAt());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static @Nullable RetryScheduledException find(@Nullable Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetryScheduledException retry) {
				return retry;
			}
		}
		return null;
	}

}
