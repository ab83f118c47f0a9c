package io.inloop.worker.execution;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.inloop.schemas.SubmitJob;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.Assert;

/**
 * How this worker instance runs jobs. Every setting has a default (docs/operations.md lists them),
 * so a host app needs none of them.
 *
 * @param concurrency job slots: jobs this instance runs at once (each slot has a handler thread;
 * the worker takes commands for its free slots from the workers' share group)
 * @param heartbeatInterval a running job that has reported nothing for this long gets a
 * heartbeat snapshot, so its owner (and stall detection) knows it is still going
 * @param shutdownGrace how long running jobs may finish after the worker is asked to stop;
 * jobs still running then are interrupted and their next attempt queued for another worker
 * @param retryOnTimeout whether a timed-out attempt is retried (as far as the job's
 * {@code maxAttempts} allow) rather than failed at once
 * @param retry the back-off between the attempts of a job
 * @param timeouts how long one attempt may run
 * @param cancellation how cancellations are remembered
 * @param queue how job slots hold the commands of the share group
 */
@ConfigurationProperties("inloop.worker")
public record WorkerSettings(@DefaultValue("32") int concurrency, @DefaultValue("5s") Duration heartbeatInterval,
		@DefaultValue("30s") Duration shutdownGrace, @DefaultValue("false") boolean retryOnTimeout,
		@DefaultValue Retry retry, @DefaultValue Timeouts timeouts, @DefaultValue Cancellation cancellation,
		@DefaultValue Queue queue) {

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
	 *
	 * @param initialInterval the wait before the second attempt
	 * @param multiplier each further wait is this many times the last (at least 1)
	 * @param maxInterval the longest wait between two attempts
	 * @param jitter plus or minus, scaled like the interval: spreads the retries of jobs that failed together
	 */
	public record Retry(@DefaultValue("1s") Duration initialInterval, @DefaultValue("2") double multiplier,
			@DefaultValue("1m") Duration maxInterval, @DefaultValue("250ms") Duration jitter) {

		public Retry {
			Assert.isTrue(isPositive(initialInterval), "inloop.worker.retry.initial-interval must be positive");
			Assert.isTrue(multiplier >= 1, "inloop.worker.retry.multiplier must be at least 1");
			Assert.isTrue(maxInterval.compareTo(initialInterval) >= 0,
					"inloop.worker.retry.max-interval must not be less than the initial interval");
			Assert.isTrue(!jitter.isNegative(), "inloop.worker.retry.jitter must not be negative");
		}

	}

	/**
	 * @param lockDuration how long a command the share group handed to this worker stays acquired
	 * without being acknowledged: a command is acknowledged within milliseconds, once its attempt has
	 * started, so this only bounds how long the command of a worker that died between taking it and
	 * starting it waits before another worker gets it (the share group's
	 * {@code share.record.lock.duration.ms}; the broker allows 15 s to 60 s by default). A started
	 * job's lease is its heartbeats, which the ledger watches ({@code inloop.ledger.stall-after},
	 * {@code inloop.ledger.requeue-after})
	 * @param deliveryLimit deliveries of one command at most (share group
	 * {@code share.delivery.count.limit}, 2 to 10); a delivery that ends before its attempt starts
	 * counts too, and the last one fails the job ({@code worker-lost}) rather than let the broker
	 * archive it unseen
	 * @param fetchBatch commands one fetch takes at most when that many slots are free (at most half
	 * the slots); the last free slots are filled one command at a time
	 * @param consumer further settings of the fetchers' share consumers
	 * @param autoStartup whether the job slots start with the worker (false: the worker takes no
	 * jobs until its queue is started)
	 */
	public record Queue(@DefaultValue("15s") Duration lockDuration, @DefaultValue("10") int deliveryLimit,
			@DefaultValue("16") int fetchBatch, @DefaultValue Map<String, String> consumer,
			@DefaultValue("true") boolean autoStartup) {

		/**
		 * Share consumer settings unless {@code consumer} says otherwise: an idle fetcher's fetch waits
		 * at the broker up to 5 s (a command that arrives meanwhile is handed over at once, so this costs
		 * no latency, only idle requests); with every broker gone, the known ones are retried with
		 * back-off rather than re-bootstrapped in a tight loop.
		 */
		static final Map<String, String> CONSUMER_DEFAULTS = Map.of("fetch.max.wait.ms", "5000",
				"metadata.recovery.strategy", "none", "reconnect.backoff.max.ms", "2000");

		public Queue {
			Map<String, String> merged = new HashMap<>(CONSUMER_DEFAULTS);
			merged.putAll(consumer);
			consumer = Map.copyOf(merged);
			Assert.isTrue(lockDuration.compareTo(Duration.ofSeconds(1)) >= 0, "inloop.worker.queue.lock-duration must be at least 1s");
			Assert.isTrue(deliveryLimit >= 2, "inloop.worker.queue.delivery-limit must be at least 2");
			Assert.isTrue(fetchBatch >= 1, "inloop.worker.queue.fetch-batch must be at least 1");
		}

		/** A held command's lock is renewed three times per lock duration, so one late renewal loses nothing. */
		Duration renewEvery() {
			return this.lockDuration.dividedBy(3);
		}

	}

	/**
	 * @param defaultTimeout the timeout of a job whose command and type say nothing
	 * @param max the longest timeout any job gets, whatever its command asks
	 * @param perType timeouts of particular job types
	 */
	public record Timeouts(@Name("default") @DefaultValue("10m") Duration defaultTimeout, @DefaultValue("25m") Duration max,
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
	 * @param remember the longest a job may wait before its first attempt: the retention of the
	 * command topics ({@code inloop.job-commands}, {@code inloop.job-retries}; 7 days by default).
	 * A cancellation is remembered for this plus the longest a started job can go on
	 * ({@link WorkerSettings#cancellationHorizon()}), so a command that arrives for it later never
	 * runs; the control topic is read that far back at start-up
	 * @param maxRemembered cancellations remembered at most (about 150 bytes each): beyond it the
	 * oldest is forgotten before its time, counted ({@code inloop.worker.cancellations.forgotten},
	 * {@code reason=capacity}) and shown in the {@code controlReader} health
	 * @param maxLag the control reader is down when records written this long ago are still unread
	 */
	public record Cancellation(@DefaultValue("7d") Duration remember, @DefaultValue("1000000") int maxRemembered,
			@DefaultValue("10s") Duration maxLag) {

		public Cancellation {
			Assert.isTrue(isPositive(remember), "inloop.worker.cancellation.remember must be positive");
			Assert.isTrue(maxRemembered >= 1, "inloop.worker.cancellation.max-remembered must be at least 1");
			Assert.isTrue(isPositive(maxLag), "inloop.worker.cancellation.max-lag must be positive");
		}

	}

	/** The most attempts a job gets: the API's limit on {@code maxAttempts}. */
	static final int MAX_ATTEMPTS = 10;

	/**
	 * How long a cancellation is remembered: as long as its job may still start or run anywhere.
	 * It may wait in the queue ({@code remember}), then each of its attempts (at most the API's
	 * limit, or the deliveries of one command, whichever is more) may run its longest timeout, wait
	 * for a dead worker's lock to lapse and wait the longest back-off.
	 */
	public Duration cancellationHorizon() {
		Duration attempt = this.timeouts.max()
			.plus(this.queue.lockDuration())
			.plus(this.retry.maxInterval())
			.plus(this.retry.jitter());
		return this.cancellation.remember().plus(attempt.multipliedBy(Math.max(MAX_ATTEMPTS, this.queue.deliveryLimit())));
	}

}
