package io.inloop.worker.handler;

import org.jspecify.annotations.Nullable;

/**
 * Runs one type of job. Declare an implementation as a bean and the worker runs every command of
 * its {@link #type()}.
 * <p>
 * A handler may be called again for the same job (Kafka redelivers a command whose outcome was
 * not recorded), so it should be idempotent by {@link JobContext#jobId()} and
 * {@link JobContext#attempt()}. It runs on a worker thread that is interrupted when the attempt is
 * cancelled or times out: wait with {@link JobContext#awaitCancellation} rather than
 * {@code Thread.sleep}, and call {@link JobContext#checkCancelled()} between units of work.
 *
 * @param <P> the payload: a record bound from the command's JSON payload
 */
public interface JobHandler<P> {

	/** The job type this handler runs, e.g. {@code demo.steps}. Unique among handlers. */
	String type();

	/** The record the command's JSON payload is bound to; missing properties are {@code null}. */
	Class<P> payloadType();

	/**
	 * Runs the job. Returning ends it {@code SUCCEEDED}; throwing ends the attempt with a
	 * {@link JobFailure}: the one carried by a {@link JobFailedException}, or
	 * {@link JobFailure#HANDLER_ERROR} with the exception's message for any other exception. A
	 * retryable failure is attempted again after a back-off, up to the job's {@code maxAttempts}.
	 * A {@link JobCancelledException} ends the job {@code CANCELLED}.
	 * @param payload the bound payload
	 * @param context reports progress and messages to the job's owner
	 * @return a small result shown to the owner (written as a JSON document, e.g. a record
	 * {@code {"url": "..."}}), or {@code null} for none
	 * @throws Exception when the job cannot be done
	 */
	@Nullable Object handle(P payload, JobContext context) throws Exception;

}
