package io.inloop.worker.handler;

import org.jspecify.annotations.Nullable;

/**
 * What a running job knows about itself and how it reports to its owner. Every report becomes a
 * full status snapshot on the status topic. Safe to call from any thread while the job runs.
 */
public interface JobContext {

	String jobId();

	/** 1 for the first execution of the job, then 2, 3, ... for each redelivery. */
	int attempt();

	/** The user who submitted the job. */
	String owner();

	/**
	 * Reports how far the job has come.
	 * @param done units of work done, {@code 0 <= done}
	 * @param total units of work in all, or {@code 0} when unknown
	 * @param message what the job is doing, or {@code null} to keep the current message
	 */
	void progress(long done, long total, @Nullable String message);

	/** Tells the owner what the job is doing, keeping the progress as it is. */
	void message(String message);

}
