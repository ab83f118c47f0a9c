package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobFailure;

import org.springframework.util.Assert;

/**
 * One attempt of a job: the state its next snapshot is made of. Every change publishes a full
 * snapshot with the next sequence number, {@code RUNNING (attempt, 0)} first.
 */
final class RunningJob implements JobContext {

	private final SubmitJob command;

	private final int attempt;

	private final JobStatusPublisher publisher;

	private final Clock clock;

	private final Instant startedAt;

	private int nextSequence;

	private long done;

	private long total;

	private @Nullable String message;

	private boolean ended;

	RunningJob(SubmitJob command, int attempt, JobStatusPublisher publisher, Clock clock) {
		this.command = command;
		this.attempt = attempt;
		this.publisher = publisher;
		this.clock = clock;
		this.startedAt = now();
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

	/** Publishes {@code RUNNING}, the first snapshot of this attempt. */
	synchronized void start() {
		Assert.state(this.nextSequence == 0, "Job " + jobId() + " has already started");
		this.publisher.publish(snapshot(JobState.RUNNING, null, null));
	}

	@Override
	public synchronized void progress(long done, long total, @Nullable String message) {
		Assert.isTrue(done >= 0 && total >= 0, () -> "Progress must not be negative, was " + done + " of " + total);
		assertRunning();
		this.done = done;
		this.total = total;
		if (message != null) {
			this.message = message;
		}
		this.publisher.publish(snapshot(JobState.RUNNING, null, null));
	}

	@Override
	public synchronized void message(String message) {
		assertRunning();
		this.message = message;
		this.publisher.publish(snapshot(JobState.RUNNING, null, null));
	}

	/** Publishes {@code SUCCEEDED}; completes when Kafka has acknowledged it. */
	synchronized CompletableFuture<?> succeed(@Nullable String result) {
		return end(snapshot(JobState.SUCCEEDED, result, null));
	}

	/** Publishes {@code FAILED}; completes when Kafka has acknowledged it. */
	synchronized CompletableFuture<?> fail(JobFailure failure) {
		JobError error = new JobError(failure.code(), failure.message(), failure.retryable());
		return end(snapshot(JobState.FAILED, null, error));
	}

	private CompletableFuture<?> end(JobStatusChanged terminal) {
		assertRunning();
		this.ended = true;
		return this.publisher.publish(terminal);
	}

	private void assertRunning() {
		Assert.state(!this.ended, () -> "Job " + jobId() + " has ended; it takes no more reports");
	}

	private JobStatusChanged snapshot(JobState state, @Nullable String result, @Nullable JobError error) {
		Instant now = now();
		boolean terminal = state == JobState.SUCCEEDED || state == JobState.FAILED;
		return JobStatusChanged.newBuilder()
			.setJobId(this.command.getJobId())
			.setOwner(this.command.getOwner())
			.setType(this.command.getType())
			.setState(state)
			.setProgress(new JobProgress(this.done, this.total))
			.setMessage(this.message)
			.setResult(result)
			.setError(error)
			.setAttempt(this.attempt)
			.setSequence(this.nextSequence++)
			.setSubmittedAt(this.command.getSubmittedAt())
			.setUpdatedAt(now)
			.setStartedAt(this.startedAt)
			.setFinishedAt(terminal ? now : null)
			.build();
	}

	/** Millisecond precision: what Avro's timestamp-millis keeps, so a snapshot equals its record. */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
