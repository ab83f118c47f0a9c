package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.worker.handler.JobCancelledException;
import io.inloop.worker.handler.JobFailedException;
import io.inloop.worker.handler.JobFailure;
import io.inloop.worker.handler.JobHandler;
import tools.jackson.core.JacksonException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one attempt of a job: publishes {@code RUNNING}, runs the job's handler on a handler
 * thread (which a cancellation, the timeout or shutdown can interrupt) while the consumer thread
 * waits for the outcome, and publishes it. Failures of the job are data in its snapshots; the
 * exceptions this throws tell the error handler what to do with the command: run it again
 * ({@link RetryScheduledException}), dead-letter it ({@link AttemptsExhaustedException}) or
 * leave it uncommitted ({@link JobHandedBackException}, {@link StatusNotWrittenException}).
 */
@Component
class JobRunner implements ApplicationListener<ContextClosedEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(JobRunner.class);

	private final JobHandlers handlers;

	private final PayloadBinder binder;

	private final JobStatusPublisher publisher;

	private final Cancellations cancellations;

	private final Heartbeats heartbeats;

	private final RetryBackOff retryBackOff;

	private final Timers timers;

	private final WorkerSettings settings;

	private final ExecutorService handlerThreads;

	private final Set<RunningJob> running = ConcurrentHashMap.newKeySet();

	private final Clock clock = Clock.systemUTC();

	private volatile boolean stopping;

	JobRunner(JobHandlers handlers, PayloadBinder binder, JobStatusPublisher publisher, Cancellations cancellations,
			Heartbeats heartbeats, RetryBackOff retryBackOff, Timers timers, WorkerSettings settings) {
		this.handlers = handlers;
		this.binder = binder;
		this.publisher = publisher;
		this.cancellations = cancellations;
		this.heartbeats = heartbeats;
		this.retryBackOff = retryBackOff;
		this.timers = timers;
		this.settings = settings;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("job-handler-");
		this.handlerThreads = Executors.newFixedThreadPool(settings.concurrency(), threads);
	}

	/**
	 * Runs attempt {@code attempt} of the job and returns once Kafka has acknowledged its
	 * terminal snapshot, so the command may be committed.
	 * @throws RetryScheduledException if the job is to be attempted again
	 * @throws AttemptsExhaustedException if the job failed its last attempt with a retryable error
	 * @throws JobHandedBackException if the worker is stopping before the job finished
	 * @throws StatusNotWrittenException if a snapshot could not be written
	 */
	void run(SubmitJob command, int attempt) {
		int maxAttempts = Math.max(1, command.getMaxAttempts());
		RunningJob job = new RunningJob(command, attempt, this.publisher, this.clock);
		if (attempt > maxAttempts) {
			// Only redeliveries after crashes get here: a job that keeps killing its workers stops here
			JobFailure lost = JobFailure.retryable(JobFailure.WORKER_LOST, "The job's worker stopped before the job finished, "
					+ (attempt - 1) + " time(s) in all");
			awaitWritten(job.fail(lost), command);
			throw new AttemptsExhaustedException(command, attempt - 1, lost);
		}
		if (this.cancellations.isCancelled(command.getJobId())) {
			logger.debug("Job " + command.getJobId() + " was cancelled before attempt " + attempt);
			awaitWritten(job.cancel(), command);
			return;
		}
		if (this.stopping) {
			throw new JobHandedBackException(command);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Job " + command.getJobId() + " (" + command.getType() + ") attempt " + attempt + " started");
		}
		job.start();
		conclude(job, command, execute(job, command), maxAttempts);
	}

	/** Whether the worker is shutting down: it takes no new jobs. */
	boolean isStopping() {
		return this.stopping;
	}

	private Outcome execute(RunningJob job, SubmitJob command) {
		this.running.add(job);
		Runnable stopWatching = this.cancellations.watch(command.getJobId(), () -> job.end(new Outcome.Cancelled()));
		Duration timeout = this.settings.timeouts().of(command);
		Future<?> timer = this.timers.schedule(() -> job.end(new Outcome.Failed(timedOut(timeout))), timeout);
		Runnable stopHeartbeats = this.heartbeats.start(job);
		Future<?> handling = this.handlerThreads.submit(() -> job.end(handle(command, job)));
		try {
			return job.awaitOutcome();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome.HandedBack();
		}
		finally {
			// A handler still running is told to stop: the attempt is over, whoever ended it
			handling.cancel(true);
			timer.cancel(false);
			stopHeartbeats.run();
			stopWatching.run();
			this.running.remove(job);
		}
	}

	/** Runs on a handler thread: every way a handler can end becomes an outcome. */
	private Outcome handle(SubmitJob command, RunningJob job) {
		JobHandler<?> handler = this.handlers.forType(command.getType());
		if (handler == null) {
			return new Outcome.Failed(JobFailure.permanent(JobFailure.UNKNOWN_TYPE,
					"No handler runs jobs of type '" + command.getType() + "'"));
		}
		try {
			return new Outcome.Returned(invoke(handler, command.getPayload(), job));
		}
		catch (JobCancelledException ex) {
			return new Outcome.Cancelled();
		}
		catch (JobFailedException ex) {
			logger.debug("Job " + command.getJobId() + " failed: " + ex.failure());
			return new Outcome.Failed(ex.failure());
		}
		catch (InterruptedException ex) {
			// Interrupted because the attempt ended; the outcome that ended it stands
			return job.isCancelled() ? new Outcome.Cancelled()
					: new Outcome.Failed(JobFailure.retryable(JobFailure.HANDLER_ERROR, "The job was interrupted"));
		}
		catch (Exception ex) {
			if (!job.isCancelled()) {
				logger.warn("Handler of job " + command.getJobId() + " (" + command.getType() + ") failed", ex);
			}
			return new Outcome.Failed(JobFailure.retryable(JobFailure.HANDLER_ERROR, messageOf(ex)));
		}
		catch (Error ex) {
			job.end(new Outcome.Failed(JobFailure.retryable(JobFailure.HANDLER_ERROR, messageOf(ex))));
			throw ex;
		}
	}

	private <P> @Nullable Object invoke(JobHandler<P> handler, String payload, RunningJob job) throws Exception {
		return handler.handle(this.binder.bind(payload, handler), job);
	}

	private void conclude(RunningJob job, SubmitJob command, Outcome outcome, int maxAttempts) {
		if (outcome instanceof Outcome.Returned returned) {
			awaitWritten(succeed(job, command, returned.result()), command);
		}
		else if (outcome instanceof Outcome.Failed failed) {
			fail(job, command, failed.failure(), maxAttempts);
		}
		else if (outcome instanceof Outcome.Cancelled) {
			awaitWritten(job.cancel(), command);
		}
		else {
			throw new JobHandedBackException(command);
		}
	}

	private void fail(RunningJob job, SubmitJob command, JobFailure failure, int maxAttempts) {
		if (failure.retryable() && job.attempt() < maxAttempts) {
			throw new RetryScheduledException(command,
					awaitWritten(job.retry(failure, this.retryBackOff.after(job.attempt())), command));
		}
		awaitWritten(job.fail(failure), command);
		if (failure.retryable()) {
			throw new AttemptsExhaustedException(command, job.attempt(), failure);
		}
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

	private JobFailure timedOut(Duration timeout) {
		return new JobFailure(JobFailure.TIMEOUT, "The job did not finish within " + timeout.toString().substring(2).toLowerCase(),
				this.settings.retryOnTimeout());
	}

	/** Stops taking jobs, and hands back those still running after the grace period. */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.stopping = true;
		if (!this.running.isEmpty()) {
			logger.info("Waiting up to " + this.settings.shutdownGrace() + " for " + this.running.size() + " job(s) to finish");
		}
		this.timers.schedule(() -> this.running.forEach((job) -> {
			if (job.end(new Outcome.HandedBack())) {
				logger.info("Handing job " + job.jobId() + " back: it did not finish within the shutdown grace period");
			}
		}), this.settings.shutdownGrace());
	}

	@Override
	public void destroy() {
		this.handlerThreads.shutdownNow();
	}

	private static <T> T awaitWritten(CompletableFuture<T> written, SubmitJob command) {
		try {
			return written.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StatusNotWrittenException(command, ex);
		}
		catch (ExecutionException ex) {
			throw new StatusNotWrittenException(command, ex.getCause());
		}
	}

	private static String messageOf(Throwable ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName();
	}

}
