package io.inloop.worker.execution;

import java.time.Duration;
import java.util.List;

import io.inloop.schemas.SubmitJob;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.Assert;

/**
 * How this worker instance runs jobs.
 *
 * @param concurrency jobs run at once by this instance (consumer threads of the command topic,
 * and handler threads); more than its partition count leaves threads idle
 * @param heartbeatInterval a running job that has reported nothing for this long gets a
 * heartbeat snapshot, so its owner (and stall detection) knows it is still going
 * @param shutdownGrace how long running jobs may finish after the worker is asked to stop;
 * jobs still running then are interrupted and handed back to Kafka for another worker
 * @param retryOnTimeout whether a timed-out attempt is retried (as far as the job's
 * {@code maxAttempts} allow) rather than failed at once
 * @param retry the back-off between the attempts of a job
 * @param timeouts how long one attempt may run
 * @param cancellation how cancellations are remembered
 */
@ConfigurationProperties("inloop.worker")
public record WorkerSettings(int concurrency, Duration heartbeatInterval, Duration shutdownGrace, boolean retryOnTimeout,
		Retry retry, Timeouts timeouts, Cancellation cancellation) {

	public WorkerSettings {
		Assert.isTrue(concurrency >= 1, "inloop.worker.concurrency must be at least 1");
		Assert.isTrue(isPositive(heartbeatInterval), "inloop.worker.heartbeat-interval must be positive");
		Assert.isTrue(!shutdownGrace.isNegative(), "inloop.worker.shutdown-grace must not be negative");
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/**
	 * Exponential back-off with jitter: the wait before attempt {@code n + 1} is
	 * {@code initialInterval * multiplier^(n-1)}, plus or minus the jitter (scaled alike), at most
	 * {@code maxInterval}.
	 */
	public record Retry(Duration initialInterval, double multiplier, Duration maxInterval, Duration jitter) {

		public Retry {
			Assert.isTrue(isPositive(initialInterval), "inloop.worker.retry.initial-interval must be positive");
			Assert.isTrue(multiplier >= 1, "inloop.worker.retry.multiplier must be at least 1");
			Assert.isTrue(maxInterval.compareTo(initialInterval) >= 0,
					"inloop.worker.retry.max-interval must not be less than the initial interval");
			Assert.isTrue(!jitter.isNegative(), "inloop.worker.retry.jitter must not be negative");
		}

	}

	/**
	 * @param defaultTimeout the timeout of a job whose command and type say nothing
	 * @param max the longest timeout any job gets, whatever its command asks; keep it below the
	 * consumer's {@code max.poll.interval.ms} less the shutdown grace
	 * @param perType timeouts of particular job types
	 */
	public record Timeouts(@Name("default") Duration defaultTimeout, Duration max,
			@DefaultValue List<TypeTimeout> perType) {

		public Timeouts {
			Assert.isTrue(isPositive(defaultTimeout), "inloop.worker.timeouts.default must be positive");
			Assert.isTrue(max.compareTo(defaultTimeout) >= 0, "inloop.worker.timeouts.max must not be less than the default");
		}

		/** The command's own timeout, else its type's, else the default; never more than {@link #max()}. */
		Duration of(SubmitJob command) {
			Long requested = command.getTimeoutMillis();
			Duration timeout = (requested != null && requested > 0) ? Duration.ofMillis(requested) : ofType(command.getType());
			return (timeout.compareTo(this.max) > 0) ? this.max : timeout;
		}

		private Duration ofType(String type) {
			return this.perType.stream()
				.filter((candidate) -> candidate.type().equals(type))
				.map(TypeTimeout::timeout)
				.findFirst()
				.orElse(this.defaultTimeout);
		}

	}

	/** The timeout of one job type, e.g. {@code {type: reports.export, timeout: 30m}}. */
	public record TypeTimeout(String type, Duration timeout) {

	}

	/**
	 * @param remember how long a cancelled job id is remembered (a command that arrives for it
	 * later never runs), and how far back the control topic is read at start-up
	 * @param maxRemembered at most this many cancelled job ids are remembered, the oldest
	 * forgotten first
	 */
	public record Cancellation(Duration remember, int maxRemembered) {

		public Cancellation {
			Assert.isTrue(isPositive(remember), "inloop.worker.cancellation.remember must be positive");
			Assert.isTrue(maxRemembered >= 1, "inloop.worker.cancellation.max-remembered must be at least 1");
		}

	}

}
