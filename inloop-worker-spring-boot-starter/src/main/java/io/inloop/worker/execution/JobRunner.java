package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.tracing.Span;
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
 * thread (which a cancellation, the timeout or shutdown can interrupt), publishes how it ended,
 * and returns the {@link Verdict} once that last snapshot is written. Nothing here waits: the
 * job slot that asked waits for the verdict, renewing its hold on the command meanwhile.
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

	private final JobTracing tracing;

	private final WorkerSettings settings;

	private final ExecutorService handlerThreads;

	private final Set<RunningJob> running = ConcurrentHashMap.newKeySet();

	private final Clock clock = Clock.systemUTC();

	private volatile boolean stopping;

	JobRunner(JobHandlers handlers, PayloadBinder binder, JobStatusPublisher publisher, Cancellations cancellations,
			Heartbeats heartbeats, RetryBackOff retryBackOff, Timers timers, JobTracing tracing, WorkerSettings settings) {
		this.handlers = handlers;
		this.binder = binder;
		this.publisher = publisher;
		this.cancellations = cancellations;
		this.heartbeats = heartbeats;
		this.retryBackOff = retryBackOff;
		this.timers = timers;
		this.tracing = tracing;
		this.settings = settings;
		// One thread per job slot: a handler blocks its thread for as long as it runs
		this.handlerThreads = Executors.newFixedThreadPool(settings.concurrency(),
				new CustomizableThreadFactory("job-handler-"));
	}

	/**
	 * Starts attempt {@code attempt} of the job.
	 * @param trace the span of this attempt, continuing the submitting request's trace
	 * @return the verdict, once the attempt's last snapshot is written (or could not be)
	 */
	CompletableFuture<Verdict> start(SubmitJob command, int attempt, Span trace) {
		int maxAttempts = Math.max(1, command.getMaxAttempts());
		RunningJob job = new RunningJob(command, attempt, this.publisher, this.clock, trace);
		if (attempt > maxAttempts) {
			// Only redeliveries after crashes get here: a job that keeps killing its workers stops here
			JobFailure lost = JobFailure.retryable(JobFailure.WORKER_LOST,
					"The job's worker stopped before the job finished, " + (attempt - 1) + " time(s) in all");
			return written(job.fail(lost), new Verdict.DeadLetter(lost));
		}
		if (this.cancellations.isCancelled(command.getJobId())) {
			logger.debug("Job " + command.getJobId() + " was cancelled before attempt " + attempt);
			return written(job.cancel(), new Verdict.Done());
		}
		if (this.stopping) {
			return CompletableFuture.completedFuture(new Verdict.HandBack("the worker is stopping"));
		}
		try (var scope = this.tracing.inScope(trace)) {
			logger.info("Job " + command.getJobId() + " (" + command.getType() + ") attempt " + attempt + " started");
		}
		job.start();
		return execute(job, command).thenCompose((outcome) -> conclude(job, command, outcome, maxAttempts));
	}

	/**
	 * Ends attempt {@code attempt} of the job without a terminal snapshot: its command is no longer
	 * this slot's (its lock was lost), and the attempt that runs next outranks this one. Only that
	 * attempt: the next one may already run on another slot of this worker.
	 */
	void abandon(String jobId, int attempt) {
		this.running.stream()
			.filter((job) -> job.jobId().equals(jobId) && job.attempt() == attempt)
			.forEach((job) -> job.end(new Outcome.HandedBack()));
	}

	/** Whether the worker is shutting down: it takes no new jobs. */
	boolean isStopping() {
		return this.stopping;
	}

	private CompletableFuture<Outcome> execute(RunningJob job, SubmitJob command) {
		this.running.add(job);
		Runnable stopWatching = this.cancellations.watch(command.getJobId(), () -> job.end(new Outcome.Cancelled()));
		Duration timeout = this.settings.timeouts().of(command);
		Future<?> timer = this.timers.schedule(() -> job.end(new Outcome.Failed(timedOut(timeout))), timeout);
		Runnable stopHeartbeats = this.heartbeats.start(job);
		Future<?> handling = this.handlerThreads.submit(() -> {
			Outcome outcome;
			try (var scope = this.tracing.inScope(job.trace())) {
				outcome = handle(command, job);
			}
			job.handlerReturned();
			job.end(outcome);
		});
		return job.outcome().whenComplete((outcome, ex) -> {
			if (!job.hasHandlerReturned()) {
				// A handler still running is told to stop: the attempt is over, whoever ended it
				handling.cancel(true);
			}
			timer.cancel(false);
			stopHeartbeats.run();
			stopWatching.run();
			this.running.remove(job);
		});
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

	private CompletableFuture<Verdict> conclude(RunningJob job, SubmitJob command, Outcome outcome, int maxAttempts) {
		if (outcome instanceof Outcome.Returned returned) {
			return succeed(job, command, returned.result());
		}
		if (outcome instanceof Outcome.Failed failed) {
			return fail(job, failed.failure(), maxAttempts);
		}
		if (outcome instanceof Outcome.Cancelled) {
			return written(job.cancel(), new Verdict.Done());
		}
		return CompletableFuture.completedFuture(new Verdict.HandBack("the job did not finish within the shutdown grace"));
	}

	private CompletableFuture<Verdict> fail(RunningJob job, JobFailure failure, int maxAttempts) {
		if (failure.retryable() && job.attempt() < maxAttempts) {
			int next = job.attempt() + 1;
			return job.retry(failure, this.retryBackOff.after(job.attempt()))
				.handle((nextAttemptAt, ex) -> (ex != null) ? handBackUnwritten(ex) : new Verdict.RetryAt(nextAttemptAt, next));
		}
		return written(job.fail(failure), failure.retryable() ? new Verdict.DeadLetter(failure) : new Verdict.Done());
	}

	private CompletableFuture<Verdict> succeed(RunningJob job, SubmitJob command, @Nullable Object result) {
		if (result == null) {
			return written(job.succeed(null), new Verdict.Done());
		}
		String json;
		try {
			json = this.binder.write(result);
		}
		catch (JacksonException ex) {
			logger.warn("Result of job " + command.getJobId() + " (" + command.getType() + ") is not JSON", ex);
			return written(job.fail(JobFailure.permanent(JobFailure.INVALID_RESULT,
					"The job's result could not be written as JSON: " + ex.getOriginalMessage())), new Verdict.Done());
		}
		return written(job.succeed(json), new Verdict.Done());
	}

	private JobFailure timedOut(Duration timeout) {
		return new JobFailure(JobFailure.TIMEOUT,
				"The job did not finish within " + timeout.toString().substring(2).toLowerCase(),
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

	/**
	 * The verdict once the snapshot is written. A snapshot that could not be written hands the
	 * command back: it runs again rather than end without its owner being told.
	 */
	private static CompletableFuture<Verdict> written(CompletableFuture<?> snapshot, Verdict verdict) {
		return snapshot.handle((sent, ex) -> (ex != null) ? handBackUnwritten(ex) : verdict);
	}

	private static Verdict handBackUnwritten(Throwable ex) {
		logger.warn("A snapshot could not be written; handing the command back", ex);
		return new Verdict.HandBack("its snapshot could not be written");
	}

	private static String messageOf(Throwable ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName();
	}

}
