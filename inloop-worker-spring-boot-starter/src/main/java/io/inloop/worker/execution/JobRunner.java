package io.inloop.worker.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * thread (which a cancellation, a fence, the timeout or shutdown can interrupt), and records how
 * it ended: its terminal snapshot, or the next attempt's command and then {@code RETRYING}, or the
 * dead letter and then {@code FAILED}, or (shutdown) the next attempt's command alone. Nothing here
 * waits: the {@link CommandFetcher} that asked acknowledges the command once the attempt has
 * started ({@link Attempt}), and from then on the job's lease is its heartbeats, not the command.
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

	private final Settlement settlement;

	private final WorkerSettings settings;

	private final ExecutorService handlerThreads;

	private final Set<RunningJob> running = ConcurrentHashMap.newKeySet();

	private final Clock clock = Clock.systemUTC();

	private volatile boolean stopping;

	JobRunner(JobHandlers handlers, PayloadBinder binder, JobStatusPublisher publisher, Cancellations cancellations,
			Heartbeats heartbeats, RetryBackOff retryBackOff, Timers timers, JobTracing tracing, Settlement settlement,
			WorkerSettings settings) {
		this.handlers = handlers;
		this.binder = binder;
		this.publisher = publisher;
		this.cancellations = cancellations;
		this.heartbeats = heartbeats;
		this.retryBackOff = retryBackOff;
		this.timers = timers;
		this.tracing = tracing;
		this.settlement = settlement;
		this.settings = settings;
		// One thread per job slot: a handler blocks its thread for as long as it runs
		this.handlerThreads = Executors.newFixedThreadPool(settings.concurrency(),
				new CustomizableThreadFactory("job-handler-"));
		cancellations.onFence(this::abandon);
	}

	/**
	 * Starts attempt {@code attempt} of the job whose command is {@code record}.
	 * @param trace the span of this attempt, continuing the submitting request's trace
	 * @return how to acknowledge the command once known, and when the attempt is over here
	 */
	Attempt start(SubmitJob command, int attempt, Span trace, ConsumerRecord<String, byte[]> record) {
		int maxAttempts = Math.max(1, command.getMaxAttempts());
		RunningJob job = new RunningJob(command, attempt, this.publisher, this.clock, trace);
		if (attempt > maxAttempts || deliveriesExhausted(record)) {
			// Attempts queued after workers stopped or died mid-job, or a command whose deliveries keep
			// ending before it starts: a job that keeps killing its workers stops here
			JobFailure lost = JobFailure.retryable(JobFailure.WORKER_LOST, (attempt > maxAttempts)
					? "The job's worker stopped before the job finished, " + (attempt - 1) + " time(s) in all"
					: "The job's command was taken " + record.deliveryCount().orElse((short) 0)
							+ " times by workers that stopped before it started");
			return Attempt.ended(deadLetterThen(record, command, lost, () -> job.fail(lost)), AcknowledgeType.REJECT);
		}
		if (this.cancellations.isCancelled(command.getJobId())) {
			logger.debug("Job " + command.getJobId() + " was cancelled before attempt " + attempt);
			return Attempt.ended(job.cancel(), AcknowledgeType.ACCEPT);
		}
		if (this.stopping) {
			return Attempt.released();
		}
		CompletableFuture<?> started = job.start().thenRun(() -> {
			try (var scope = this.tracing.inScope(trace)) {
				logger.info("Job " + command.getJobId() + " (" + command.getType() + ") attempt " + attempt + " started");
			}
		});
		CompletableFuture<?> over = execute(job, command, started)
			.thenCompose((outcome) -> conclude(job, command, record, outcome, maxAttempts));
		CompletableFuture<AcknowledgeType> acknowledgement = started.handle((sent, ex) -> {
			if (ex == null) {
				return AcknowledgeType.ACCEPT;
			}
			// Not durably started: nobody would notice if this worker died now. Stop, and let another delivery run it
			logger.warn("Could not write RUNNING of job " + command.getJobId() + "; releasing its command", ex);
			job.end(new Outcome.Abandoned("its RUNNING could not be written"));
			return AcknowledgeType.RELEASE;
		});
		return new Attempt(acknowledgement, over);
	}

	/** Whether this is the last delivery the share group makes of the command: the next would archive it unseen. */
	private boolean deliveriesExhausted(ConsumerRecord<?, ?> record) {
		return record.deliveryCount().map((count) -> count >= this.settings.queue().deliveryLimit()).orElse(false);
	}

	/**
	 * Ends attempts up to {@code attempt} of the job without writing anything more: their lease is
	 * over (the ledger queued the next attempt when their heartbeats stopped). Later attempts, which
	 * may run on this worker too, go on.
	 */
	void abandon(String jobId, int attempt) {
		this.running.stream()
			.filter((job) -> job.jobId().equals(jobId) && job.attempt() <= attempt)
			.forEach((job) -> {
				if (job.end(new Outcome.Abandoned("its lease was fenced"))) {
					logger.warn("Job " + jobId + " attempt " + job.attempt() + " lost its lease (its heartbeats did not reach "
							+ "the ledger in time, and a later attempt was queued); stopping it");
				}
			});
	}

	/** Whether the worker is shutting down: it takes no new jobs. */
	boolean isStopping() {
		return this.stopping;
	}

	/** Attempts running on this worker now. */
	int runningAttempts() {
		return this.running.size();
	}

	/**
	 * Runs the handler once the attempt has durably started ({@code started}: its {@code RUNNING}
	 * written): a worker that dies before that has run none of the job, and the command's next
	 * delivery runs the same attempt, once.
	 */
	private CompletableFuture<Outcome> execute(RunningJob job, SubmitJob command, CompletableFuture<?> started) {
		this.running.add(job);
		Runnable stopWatching = this.cancellations.watch(command.getJobId(), () -> job.end(new Outcome.Cancelled()));
		Duration timeout = this.settings.timeouts().of(command);
		Future<?> timer = this.timers.schedule(() -> job.end(new Outcome.Failed(timedOut(timeout))), timeout);
		Runnable stopHeartbeats = this.heartbeats.start(job);
		CompletableFuture<Future<?>> handling = started.thenApply((sent) -> job.outcome().isDone()
				? CompletableFuture.completedFuture(null) : this.handlerThreads.submit(() -> {
					Outcome outcome;
					try (var scope = this.tracing.inScope(job.trace())) {
						outcome = handle(command, job);
					}
					job.handlerReturned();
					job.end(outcome);
				}));
		return job.outcome().whenComplete((outcome, ex) -> {
			if (!job.hasHandlerReturned()) {
				// A handler still running (or about to be) is told to stop: the attempt is over, whoever ended it
				handling.thenAccept((handler) -> handler.cancel(true));
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

	/**
	 * Records how the attempt ended. Completes once that is written, or could not be: a job whose
	 * end could not be written is still {@code RUNNING} to everyone, and the ledger queues its next
	 * attempt once its heartbeats are missed.
	 */
	private CompletableFuture<?> conclude(RunningJob job, SubmitJob command, ConsumerRecord<String, byte[]> record,
			Outcome outcome, int maxAttempts) {
		CompletableFuture<?> written;
		if (outcome instanceof Outcome.Returned returned) {
			written = succeed(job, command, returned.result());
		}
		else if (outcome instanceof Outcome.Failed failed) {
			written = fail(job, command, record, failed.failure(), maxAttempts);
		}
		else if (outcome instanceof Outcome.Cancelled) {
			written = job.cancel();
		}
		else if (outcome instanceof Outcome.HandedBack) {
			logger.info("Handing job " + job.jobId() + " back: it did not finish within the shutdown grace period");
			written = this.settlement.requeue(command, job.attempt() + 1);
		}
		else {
			written = CompletableFuture.completedFuture(null);
		}
		return written.exceptionally((ex) -> {
			logger.warn("Could not record the end of job " + job.jobId() + " attempt " + job.attempt()
					+ "; the ledger queues its next attempt once its heartbeats are missed", ex);
			return null;
		});
	}

	private CompletableFuture<?> fail(RunningJob job, SubmitJob command, ConsumerRecord<String, byte[]> record,
			JobFailure failure, int maxAttempts) {
		if (failure.retryable() && job.attempt() < maxAttempts) {
			int next = job.attempt() + 1;
			Instant at = this.clock.instant().plus(this.retryBackOff.after(job.attempt())).truncatedTo(ChronoUnit.MILLIS);
			// The command first: RETRYING promises it
			return this.settlement.scheduleRetry(command, next, at).thenCompose((scheduled) -> job.retry(failure, at));
		}
		if (failure.retryable()) {
			return deadLetterThen(record, command, failure, () -> job.fail(failure));
		}
		return job.fail(failure);
	}

	/** The dead letter, then the snapshot that says the job failed (written even if the dead letter was not). */
	private CompletableFuture<?> deadLetterThen(ConsumerRecord<String, byte[]> record, @Nullable SubmitJob command,
			JobFailure failure, Supplier<CompletableFuture<?>> failed) {
		return this.settlement.deadLetter(record, command, failure).handle((done, ex) -> {
			if (ex != null) {
				logger.error("Could not dead-letter the command of job " + ((command != null) ? command.getJobId() : "?"), ex);
			}
			return failed.get();
		}).thenCompose(Function.identity());
	}

	private CompletableFuture<?> succeed(RunningJob job, SubmitJob command, @Nullable Object result) {
		if (result == null) {
			return job.succeed(null);
		}
		String json;
		try {
			json = this.binder.write(result);
		}
		catch (JacksonException ex) {
			logger.warn("Result of job " + command.getJobId() + " (" + command.getType() + ") is not JSON", ex);
			return job.fail(JobFailure.permanent(JobFailure.INVALID_RESULT,
					"The job's result could not be written as JSON: " + ex.getOriginalMessage()));
		}
		return job.succeed(json);
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
		this.timers.schedule(() -> this.running.forEach((job) -> job.end(new Outcome.HandedBack())),
				this.settings.shutdownGrace());
	}

	@Override
	public void destroy() {
		this.handlerThreads.shutdownNow();
	}

	private static String messageOf(Throwable ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName();
	}

}
