package io.inloop.api.leases;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.inloop.api.commands.SubmittedCommands;
import io.inloop.api.commands.SubmittedCommands.Submitted;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.ledger.LeaseExpiry;
import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Ends the lease of a job whose worker went silent ({@link LeaseExpiry}, told by the ledger once
 * per stall, on the instance that holds the job's partition): fences the silent attempt so nothing
 * it still writes reaches anyone and its worker, if it is alive, stops it; then queues its next
 * attempt. In that order, each write once the one before is acknowledged:
 * <ol>
 * <li>the fence: {@code RETRYING} at the silent attempt's last sequence
 * ({@link JobSnapshots#leaseLost}), so the owner hears why before anything of the next attempt,
 * which may start within milliseconds;</li>
 * <li>a fence on {@code inloop.job-control} ({@link CancelJob#getFencedAttempt()}), which the
 * worker that still runs the attempt hears;</li>
 * <li>the job's command read back from {@code inloop.job-commands} ({@link SubmittedCommands}),
 * written again with the next attempt.</li>
 * </ol>
 * When the job has no attempt left (or its command is gone), its command is dead-lettered
 * ({@code worker-lost}) first, then the fences are written, with {@code FAILED}: a crash in between
 * leaves the job {@code STALLED}, to be ended again.
 * A crash after the {@code RETRYING} fence and before the command leaves a job waiting for a
 * command nobody wrote: the ledger tells {@link #nextAttemptUnseen} when a fence is not followed by
 * the next attempt for {@code requeue-after} (and again after its task starts), and the command is
 * written then unless it is found in the topic (it may just be queued behind others). A command
 * written twice runs the attempt twice, whose second run's snapshots every reader drops as stale
 * (at-least-once, as for every redelivery). Nothing is written when the job moved on meanwhile
 * (its worker came back, or it ended). Failures (the broker away, read-backs busy) are tried again
 * with back-off for as long as the instance runs.
 */
@Component
public class JobLeases implements LeaseExpiry, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(JobLeases.class);

	/** Whose read-backs these are ({@code ReadBacks} counts them per user). */
	static final String READER = "inloop-ledger";

	/** Leases ended at once at most; the rest wait their turn. */
	private static final int CONCURRENCY = 2;

	private final SubmittedCommands commands;

	private final KafkaTemplate<String, SpecificRecord> kafka;

	private final JobLedger ledger;

	private final DeadLetterPublishingRecoverer deadLetters;

	private final Sinks.Many<JobStatusChanged> expired = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable ending;

	JobLeases(SubmittedCommands commands, KafkaTemplate<String, SpecificRecord> kafka, JobLedger ledger,
			CommandDeadLetters deadLetters) {
		this.commands = commands;
		this.kafka = kafka;
		this.ledger = ledger;
		this.deadLetters = deadLetters.recoverer();
		this.ending = this.expired.asFlux()
			.flatMap((job) -> act(job)
				.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
					.doBeforeRetry((retry) -> logger.warn("Could not end the lease of job {} yet ({}); trying again",
							job.getJobId(), retry.failure().toString())))
				.onErrorResume((ex) -> Mono.empty()), CONCURRENCY)
			.subscribe();
	}

	@Override
	public void expired(JobStatusChanged stalled) {
		this.expired.emitNext(stalled, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
	}

	@Override
	public void nextAttemptUnseen(JobStatusChanged fence) {
		this.expired.emitNext(fence, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
	}

	/** A stalled job's lease ends; a fenced one's next attempt is queued if it is not already. */
	private Mono<Void> act(JobStatusChanged job) {
		return (job.getState() == JobState.STALLED) ? end(job) : requeue(job);
	}

	private Mono<Void> end(JobStatusChanged stalled) {
		return Mono.fromCallable(() -> stillAt(stalled))
			.subscribeOn(Schedulers.boundedElastic())
			.filter(Boolean::booleanValue)
			.flatMap((stalledStill) -> this.commands.recordOf(READER, stalled)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty()))
			.flatMap((submitted) -> handOn(stalled, submitted));
	}

	/**
	 * Whether the job is still as the ledger reported it: its worker did not come back, nobody
	 * ended it, its next attempt did not start.
	 */
	private boolean stillAt(JobStatusChanged reported) {
		return this.ledger.find(reported.getOwner(), reported.getJobId())
			.map((current) -> current.getState() == reported.getState()
					&& JobLifecycle.version(current) == JobLifecycle.version(reported))
			.orElse(false);
	}

	private Mono<Void> handOn(JobStatusChanged stalled, Optional<Submitted> submitted) {
		int next = stalled.getAttempt() + 1;
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		if (submitted.isPresent() && next <= Math.max(1, submitted.get().command().getMaxAttempts())) {
			JobStatusChanged fence = JobSnapshots.leaseLost(stalled, true, "The worker stopped responding; attempt "
					+ next + " is queued", now);
			return fenced(stalled, fence, now).then(queue(submitted.get(), next))
				.doOnSuccess((done) -> logger.warn("Job {} of {}: attempt {} went silent; attempt {} is queued",
						stalled.getJobId(), stalled.getOwner(), stalled.getAttempt(), next));
		}
		String why = submitted.isPresent()
				? "The job's worker stopped responding; no attempt is left (" + stalled.getAttempt() + " started)"
				: "The job's worker stopped responding, and its command is no longer in " + Topics.JOB_COMMANDS;
		JobStatusChanged fence = JobSnapshots.leaseLost(stalled, false, why, now);
		Mono<Void> deadLettered = submitted.map((found) -> deadLetter(found, why)).orElse(Mono.empty());
		// No attempt follows: the dead letter first, so a crash before the fence leaves the job STALLED, to be ended again
		return deadLettered.then(fenced(stalled, fence, now))
			.doOnSuccess((done) -> logger.warn("Job {} of {}: attempt {} went silent; the job failed ({})",
					stalled.getJobId(), stalled.getOwner(), stalled.getAttempt(), why));
	}

	/** The next attempt of a fenced job, written unless it already was. */
	private Mono<Void> requeue(JobStatusChanged fence) {
		int next = fence.getAttempt() + 1;
		return Mono.fromCallable(() -> stillAt(fence))
			.subscribeOn(Schedulers.boundedElastic())
			.filter(Boolean::booleanValue)
			.flatMap((fencedStill) -> this.commands.hasAttempt(READER, fence.getJobId(), next, fence.getUpdatedAt()))
			.filter((queued) -> !queued)
			.flatMap((missing) -> this.commands.recordOf(READER, fence))
			.flatMap((submitted) -> queue(submitted, next)
				.doOnSuccess((done) -> logger.warn("Job {} of {}: attempt {} had not been queued after its lease ended; "
						+ "it is now", fence.getJobId(), fence.getOwner(), next)))
			.then();
	}

	private Mono<Void> queue(Submitted submitted, int attempt) {
		SubmitJob command = SubmitJob.newBuilder(submitted.command()).setAttempt(attempt).setNotBefore(null).build();
		return send(Topics.JOB_COMMANDS, command.getJobId(), command);
	}

	/** The fence on the status topic, then the one for the worker on the control topic. */
	private Mono<Void> fenced(JobStatusChanged stalled, JobStatusChanged fence, Instant now) {
		return send(Topics.JOB_STATUS, stalled.getOwner(), fence).then(send(Topics.JOB_CONTROL, stalled.getJobId(),
				new CancelJob(stalled.getJobId(), stalled.getOwner(), now, stalled.getAttempt())));
	}

	private Mono<Void> deadLetter(Submitted submitted, String why) {
		return Mono.fromRunnable(() -> this.deadLetters.accept(submitted.record(), new WorkerLostException(why)))
			.subscribeOn(Schedulers.boundedElastic())
			.then();
	}

	private Mono<Void> send(String topic, String key, SpecificRecord value) {
		return Mono.fromFuture(() -> this.kafka.send(topic, key, value)).then();
	}

	@Override
	public void destroy() {
		this.ending.dispose();
	}

}
