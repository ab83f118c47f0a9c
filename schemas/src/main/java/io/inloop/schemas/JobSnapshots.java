package io.inloop.schemas;

import java.time.Instant;

import io.inloop.schemas.serde.TrustedTypes;

/**
 * Building a job's next snapshot: the one place that chooses its attempt and sequence, so that
 * whatever one writer publishes is accepted after its predecessor by {@link JobLifecycle}. The
 * API writes attempt 0 ({@code QUEUED}, then perhaps {@code CANCELLED} or a failed submission),
 * the worker of attempt {@code n} writes {@code (n, 0), (n, 1), ...}, and an observer's report
 * ({@code STALLED}) keeps the sequence it observed, which {@link JobLifecycle#version} places
 * between that snapshot and the writer's next.
 */
public final class JobSnapshots {

	static {
		// Copying a snapshot into a builder instantiates its nested records through Avro's class checks
		TrustedTypes.register();
	}

	private JobSnapshots() {
	}

	/** A job's first snapshot: {@code QUEUED (0, 0)}, waiting for a worker. */
	public static JobStatusChanged queued(SubmitJob command, String message) {
		return JobStatusChanged.newBuilder()
			.setJobId(command.getJobId())
			.setOwner(command.getOwner())
			.setType(command.getType())
			.setState(JobState.QUEUED)
			.setProgress(new JobProgress(0L, 0L))
			.setMessage(message)
			.setAttempt(0)
			.setSequence(0)
			.setSubmittedAt(command.getSubmittedAt())
			.setUpdatedAt(command.getSubmittedAt())
			.setResubmitOf(command.getResubmitOf())
			.build();
	}

	/**
	 * The first snapshot of attempt {@code attempt} (1 or more), for the worker that runs it:
	 * sequence 0, usually {@code RUNNING}, or the attempt's end if it never starts (a command of
	 * a job already cancelled).
	 */
	public static JobStatusChanged.Builder firstOf(SubmitJob command, int attempt, JobState state, Instant now) {
		if (attempt < 1) {
			throw new IllegalArgumentException("Attempts count from 1, was " + attempt);
		}
		return JobStatusChanged.newBuilder()
			.setJobId(command.getJobId())
			.setOwner(command.getOwner())
			.setType(command.getType())
			.setState(state)
			.setProgress(new JobProgress(0L, 0L))
			.setAttempt(attempt)
			.setSequence(0)
			.setSubmittedAt(command.getSubmittedAt())
			.setUpdatedAt(now)
			.setStartedAt((state == JobState.RUNNING) ? now : null)
			.setFinishedAt(JobLifecycle.isTerminal(state) ? now : null)
			.setResubmitOf(command.getResubmitOf());
	}

	/**
	 * The writer's next snapshot after {@code previous}, in the same attempt: everything as it was
	 * but the next sequence, the time, and no finish, retry or report of the one before.
	 */
	public static JobStatusChanged.Builder next(JobStatusChanged previous, JobState state, Instant now) {
		return JobStatusChanged.newBuilder(previous)
			.setState(state)
			.setSequence(previous.getSequence() + 1)
			.setUpdatedAt(now)
			.setFinishedAt(JobLifecycle.isTerminal(state) ? now : null)
			.setNextAttemptAt(null);
	}

	/**
	 * {@code FAILED} right after {@code queued}, when its command could not be written: a job must
	 * never sit {@code QUEUED} for ever. Retryable: the owner may submit it again.
	 */
	public static JobStatusChanged notSubmitted(JobStatusChanged queued, Instant now) {
		return next(queued, JobState.FAILED, now).setMessage("The job could not be submitted")
			.setError(new JobError(SUBMIT_FAILED, "The job could not be handed to the workers; submit it again", true))
			.build();
	}

	/** The error code of a job whose command Kafka did not take ({@link #notSubmitted}). */
	public static final String SUBMIT_FAILED = "submit-failed";

	/** Whether {@code job} is the FAILED snapshot of a job whose command Kafka did not take ({@link #notSubmitted}). */
	public static boolean isNotSubmitted(JobStatusChanged job) {
		return job.getState() == JobState.FAILED && job.getAttempt() == 0 && job.getError() != null
				&& SUBMIT_FAILED.equals(job.getError().getCode());
	}

	/** The error code of a job whose worker stopped responding (or died) before the job ended. */
	public static final String WORKER_LOST = "worker-lost";

	/**
	 * The ledger's fence on an attempt whose lease is over: its heartbeats stopped (it was reported
	 * {@code STALLED}) and stayed stopped past the grace. {@code RETRYING} when its next attempt is
	 * queued ({@code nextAttempt} true, due at once), else {@code FAILED}, both with the error
	 * {@value #WORKER_LOST}. The fence takes the attempt's {@link JobLifecycle#LAST_SEQUENCE last
	 * sequence}, so whatever the silent attempt's worker still writes is stale to every reader, while
	 * the next attempt's {@code RUNNING (attempt + 1, 0)} outranks the fence.
	 */
	public static JobStatusChanged leaseLost(JobStatusChanged observed, boolean nextAttempt, String message, Instant now) {
		JobState state = nextAttempt ? JobState.RETRYING : JobState.FAILED;
		return JobStatusChanged.newBuilder(observed)
			.setState(state)
			.setSequence(JobLifecycle.LAST_SEQUENCE)
			.setMessage(message)
			.setError(new JobError(WORKER_LOST, message, true))
			.setUpdatedAt(now)
			.setNextAttemptAt(nextAttempt ? now : null)
			.setFinishedAt(nextAttempt ? null : now)
			.setResult(null)
			.build();
	}

	/**
	 * An observer's report that {@code observed}, a running job, has gone silent: {@code STALLED}
	 * at the same attempt and sequence, so the writer's next snapshot, if it comes, outranks it.
	 */
	public static JobStatusChanged stalled(JobStatusChanged observed, String message, Instant now) {
		if (observed.getState() != JobState.RUNNING) {
			throw new IllegalArgumentException("Only a running job stalls, " + observed.getJobId() + " is "
					+ observed.getState());
		}
		return JobStatusChanged.newBuilder(observed)
			.setState(JobState.STALLED)
			.setMessage(message)
			.setUpdatedAt(now)
			.build();
	}

}
