package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.tracing.Span;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.worker.handler.JobCancelledException;
import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobFailure;

import org.springframework.util.Assert;

/**
 * One attempt of a job: the state its next snapshot is made of, and how the attempt ends. Every
 * change publishes a full snapshot, {@code RUNNING (attempt, 0)} first, each next one built from
 * the last by {@link JobSnapshots}; snapshots are built and handed to the producer under this object's lock, so they reach
 * Kafka in sequence order whichever thread reports.
 */
final class RunningJob implements JobContext {

	private final SubmitJob command;

	private final int attempt;

	private final JobStatusPublisher publisher;

	private final Clock clock;

	private final Span trace;

	/** Completed by whoever ends the attempt first: the handler, the timeout, a cancellation or shutdown. */
	private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

	private Instant lastPublishedAt;

	/** The snapshot published last; the next is built from it ({@link JobSnapshots}). */
	private @Nullable JobStatusChanged last;

	private long done;

	private long total;

	private @Nullable String message;

	private boolean ended;

	private volatile boolean handlerReturned;

	RunningJob(SubmitJob command, int attempt, JobStatusPublisher publisher, Clock clock, Span trace) {
		this.command = command;
		this.attempt = attempt;
		this.publisher = publisher;
		this.clock = clock;
		this.trace = trace;
		this.lastPublishedAt = now();
	}

	/** The span of this attempt: its snapshots and log lines carry its trace. */
	Span trace() {
		return this.trace;
	}

	@Override
	public String jobId() {
		return this.command.getJobId();
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public String owner() {
		return this.command.getOwner();
	}

	/** Publishes {@code RUNNING}, the first snapshot of this attempt; completes when Kafka has acknowledged it. */
	synchronized CompletableFuture<?> start() {
		Assert.state(this.last == null, "Job " + jobId() + " has already started");
		return publish(JobState.RUNNING, null, null, null);
	}

	@Override
	public synchronized void progress(long done, long total, @Nullable String message) {
		Assert.isTrue(done >= 0 && total >= 0, () -> "Progress must not be negative, was " + done + " of " + total);
		assertReporting();
		this.done = done;
		this.total = total;
		if (message != null) {
			this.message = message;
		}
		publish(JobState.RUNNING, null, null, null);
	}

	@Override
	public synchronized void message(String message) {
		assertReporting();
		this.message = message;
		publish(JobState.RUNNING, null, null, null);
	}

	@Override
	public boolean isCancelled() {
		return this.outcome.isDone();
	}

	@Override
	public void checkCancelled() {
		if (isCancelled()) {
			throw new JobCancelledException(jobId());
		}
	}

	@Override
	public boolean awaitCancellation(Duration timeout) throws InterruptedException {
		try {
			this.outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
	}

	/** Ends the attempt with {@code outcome} unless it has already ended; returns whether this did. */
	boolean end(Outcome outcome) {
		return this.outcome.complete(outcome);
	}

	/** The attempt's outcome, which may come from any thread; never exceptional. */
	CompletableFuture<Outcome> outcome() {
		return this.outcome;
	}

	/** Called by the handler thread once the handler has returned, before it reports the outcome. */
	void handlerReturned() {
		this.handlerReturned = true;
	}

	/** Whether the handler has returned: a handler still running is interrupted when the attempt ends. */
	boolean hasHandlerReturned() {
		return this.handlerReturned;
	}

	/**
	 * Publishes a heartbeat if nothing has been published for {@code interval}.
	 * @return when the next heartbeat is due, or {@code null} once the job has ended
	 */
	synchronized @Nullable Instant heartbeatIfSilentFor(Duration interval) {
		if (this.ended) {
			return null;
		}
		if (!now().isBefore(this.lastPublishedAt.plus(interval))) {
			publish(JobState.RUNNING, null, null, null);
		}
		return this.lastPublishedAt.plus(interval);
	}

	/** Publishes {@code SUCCEEDED}; completes when Kafka has acknowledged it. */
	synchronized CompletableFuture<?> succeed(@Nullable String result) {
		return finish(JobState.SUCCEEDED, result, null);
	}

	/** Publishes {@code FAILED}; completes when Kafka has acknowledged it. */
	synchronized CompletableFuture<?> fail(JobFailure failure) {
		return finish(JobState.FAILED, null, errorOf(failure));
	}

	/** Publishes {@code CANCELLED}; completes when Kafka has acknowledged it. */
	synchronized CompletableFuture<?> cancel() {
		return finish(JobState.CANCELLED, null, null);
	}

	/**
	 * Publishes {@code RETRYING}: this attempt failed, the next starts at {@code nextAttemptAt};
	 * completes when Kafka has acknowledged it.
	 */
	synchronized CompletableFuture<?> retry(JobFailure failure, Instant nextAttemptAt) {
		return finish(JobState.RETRYING, null, errorOf(failure), nextAttemptAt);
	}

	private CompletableFuture<?> finish(JobState state, @Nullable String result, @Nullable JobError error) {
		return finish(state, result, error, null);
	}

	private CompletableFuture<?> finish(JobState state, @Nullable String result, @Nullable JobError error,
			@Nullable Instant nextAttemptAt) {
		assertNotEnded();
		this.ended = true;
		return publish(state, result, error, nextAttemptAt);
	}

	/** A handler still reporting after the worker ended its attempt is told to stop. */
	private void assertReporting() {
		checkCancelled();
		assertNotEnded();
	}

	private void assertNotEnded() {
		Assert.state(!this.ended, () -> "Job " + jobId() + " has ended; it takes no more reports");
	}

	private CompletableFuture<?> publish(JobState state, @Nullable String result, @Nullable JobError error,
			@Nullable Instant nextAttemptAt) {
		Instant now = now();
		this.lastPublishedAt = now;
		JobStatusChanged.Builder next = (this.last == null) ? JobSnapshots.firstOf(this.command, this.attempt, state, now)
				: JobSnapshots.next(this.last, state, now);
		this.last = next.setState(state)
			.setProgress(new JobProgress(this.done, this.total))
			.setMessage(this.message)
			.setResult(result)
			.setError(error)
			.setNextAttemptAt(nextAttemptAt)
			.build();
		return this.publisher.publish(this.trace, this.last);
	}

	private static JobError errorOf(JobFailure failure) {
		return new JobError(failure.code(), failure.message(), failure.retryable());
	}

	/** Millisecond precision: what Avro's timestamp-millis keeps, so a snapshot equals its record. */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
