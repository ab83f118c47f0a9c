package io.inloop.worker.handler;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a running job knows about itself and how it reports to its owner. Every report becomes a
 * full status snapshot on the status topic. Safe to call from any thread while the job runs.
 */
public interface JobContext {

	String jobId();

	/** 1 for the first execution of the job, then 2, 3, ... for each retry or redelivery. */
	int attempt();

	/** The user who submitted the job. */
	String owner();

	/**
	 * Reports how far the job has come.
	 * @param done units of work done, {@code 0 <= done}
	 * @param total units of work in all, or {@code 0} when unknown
	 * @param message what the job is doing, or {@code null} to keep the current message
	 * @throws JobCancelledException if the attempt is cancelled: the report is not published
	 */
	void progress(long done, long total, @Nullable String message);

	/**
	 * Tells the owner what the job is doing, keeping the progress as it is.
	 * @throws JobCancelledException if the attempt is cancelled: the report is not published
	 */
	void message(String message);

	/**
	 * Whether the worker has asked this attempt to stop: the job was cancelled by its owner, ran
	 * past its timeout, or the worker is shutting down. The handler's thread is interrupted too.
	 */
	boolean isCancelled();

	/**
	 * Stops the handler at a safe point once the attempt is cancelled.
	 * @throws JobCancelledException if {@link #isCancelled()}
	 */
	void checkCancelled();

	/**
	 * Waits until the attempt is cancelled or {@code timeout} has passed, whichever comes first:
	 * use it where a handler would sleep, so a cancellation ends the wait at once.
	 * @return whether the attempt is cancelled
	 * @throws InterruptedException if the handler's thread is interrupted while waiting
	 */
	boolean awaitCancellation(Duration timeout) throws InterruptedException;

}
