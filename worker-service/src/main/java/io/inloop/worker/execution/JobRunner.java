package io.inloop.worker.execution;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.worker.handler.JobFailedException;
import io.inloop.worker.handler.JobFailure;
import io.inloop.worker.handler.JobHandler;
import tools.jackson.core.JacksonException;

import org.springframework.stereotype.Component;

/**
 * Runs one attempt of a job: publishes {@code RUNNING}, drives the job's handler, and publishes
 * the outcome, {@code SUCCEEDED} or {@code FAILED}. Failures of the job are data in the terminal
 * snapshot; only a snapshot that cannot be written is an exception.
 */
@Component
class JobRunner {

	private static final Log logger = LogFactory.getLog(JobRunner.class);

	private final JobHandlers handlers;

	private final PayloadBinder binder;

	private final JobStatusPublisher publisher;

	private final Clock clock = Clock.systemUTC();

	JobRunner(JobHandlers handlers, PayloadBinder binder, JobStatusPublisher publisher) {
		this.handlers = handlers;
		this.binder = binder;
		this.publisher = publisher;
	}

	/**
	 * Runs the job and returns once Kafka has acknowledged its terminal snapshot.
	 * @throws StatusNotWrittenException if the terminal snapshot could not be written, so the
	 * command must not be committed
	 */
	void run(SubmitJob command, int attempt) {
		RunningJob job = new RunningJob(command, attempt, this.publisher, this.clock);
		job.start();
		awaitWritten(execute(command, job), command);
	}

	private CompletableFuture<?> execute(SubmitJob command, RunningJob job) {
		JobHandler<?> handler = this.handlers.forType(command.getType());
		if (handler == null) {
			return job.fail(JobFailure.permanent(JobFailure.UNKNOWN_TYPE,
					"No handler runs jobs of type '" + command.getType() + "'"));
		}
		Object result;
		try {
			result = invoke(handler, command.getPayload(), job);
		}
		catch (JobFailedException ex) {
			logger.debug("Job " + command.getJobId() + " failed: " + ex.failure());
			return job.fail(ex.failure());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StatusNotWrittenException(command, ex);
		}
		catch (Exception ex) {
			logger.warn("Handler of job " + command.getJobId() + " (" + command.getType() + ") failed", ex);
			return job.fail(JobFailure.retryable(JobFailure.HANDLER_ERROR, messageOf(ex)));
		}
		return succeed(job, command, result);
	}

	private <P> @Nullable Object invoke(JobHandler<P> handler, String payload, RunningJob job) throws Exception {
		return handler.handle(this.binder.bind(payload, handler), job);
	}

	private CompletableFuture<?> succeed(RunningJob job, SubmitJob command, @Nullable Object result) {
		if (result == null) {
			return job.succeed(null);
		}
		try {
			return job.succeed(this.binder.write(result));
		}
		catch (JacksonException ex) {
			logger.warn("Result of job " + command.getJobId() + " (" + command.getType() + ") is not JSON", ex);
			return job.fail(JobFailure.permanent(JobFailure.INVALID_RESULT,
					"The job's result could not be written as JSON: " + ex.getOriginalMessage()));
		}
	}

	private static void awaitWritten(CompletableFuture<?> terminal, SubmitJob command) {
		try {
			terminal.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StatusNotWrittenException(command, ex);
		}
		catch (ExecutionException ex) {
			throw new StatusNotWrittenException(command, ex.getCause());
		}
	}

	private static String messageOf(Exception ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName();
	}

}
