package io.inloop.api.admin;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.inloop.api.commands.SubmittedCommands;
import io.inloop.api.jobs.NotSubmitted;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.JobIds;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Resubmission;
import io.inloop.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a FAILED job (whether it ended for good or was dead-lettered) again for its owner, as
 * {@code inloop dlt resubmit} does ({@link Resubmission}): a new job of the same owner, attempt 1,
 * {@code resubmitOf} the old one, announced {@code QUEUED} before its command, so the owner's page
 * shows it run. The old job keeps its end. A job is retried once: the new job's id is derived from
 * the old one's, so a second retry (a double click, two operators) answers with the same new job.
 */
@Component
class JobRetry {

	private static final Logger logger = LoggerFactory.getLogger(JobRetry.class);

	private final KafkaTemplate<String, SpecificRecord> kafka;

	private final JobLedger ledger;

	private final SubmittedCommands commands;

	/** Retries under way on this instance, so a concurrent repeat joins the first. */
	private final Map<String, Mono<Retried>> inFlight = new ConcurrentHashMap<>();

	JobRetry(KafkaTemplate<String, SpecificRecord> kafka, JobLedger ledger, SubmittedCommands commands) {
		this.kafka = kafka;
		this.ledger = ledger;
		this.commands = commands;
	}

	/** Retries {@code jobId} on behalf of {@code operator} (whose read-backs are counted). */
	Mono<Retried> retry(String operator, String jobId) {
		return Mono.fromCallable(() -> this.ledger.findAnyOwner(jobId))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> job.orElseThrow(() -> AdminJobsController.notFound(jobId)))
			.flatMap((job) -> {
				if (job.getState() != JobState.FAILED) {
					return Mono.error(ApiProblem.JOB_NOT_FAILED
						.exception("Job " + jobId + " is " + job.getState() + "; only a FAILED job can be retried"));
				}
				String retryId = retryIdOf(job);
				return this.inFlight.computeIfAbsent(retryId, (id) -> retryOnce(operator, job, id)
					.doFinally((signal) -> this.inFlight.remove(id))
					.cache());
			});
	}

	/** The one id a retry of {@code job} gets. */
	static String retryIdOf(JobStatusChanged job) {
		return JobIds.forIdempotencyKey(job.getOwner(), "retry-of:" + job.getJobId());
	}

	private Mono<Retried> retryOnce(String operator, JobStatusChanged job, String retryId) {
		return Mono.fromCallable(() -> this.ledger.find(job.getOwner(), retryId))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((earlier) -> earlier.map((retried) -> Mono.just(new Retried(retried, true)))
				.orElseGet(() -> this.commands.of(operator, job)
					.switchIfEmpty(Mono.error(() -> ApiProblem.JOB_COMMAND_EXPIRED.exception("The command of job "
							+ job.getJobId() + " is no longer in " + Topics.JOB_COMMANDS
							+ " (past its retention), so it cannot be retried; submit it again")))
					.flatMap((command) -> send(operator, Resubmission.of(command, retryId, Instant.now())))
					.map((queued) -> new Retried(queued, false))));
	}

	private Mono<JobStatusChanged> send(String operator, Resubmission again) {
		JobStatusChanged queued = again.queued();
		String owner = queued.getOwner();
		// QUEUED first, as inloop dlt resubmit does, so a worker's RUNNING cannot overtake it
		return Mono.fromFuture(() -> this.kafka.send(Topics.JOB_STATUS, owner, queued))
			.then(Mono.fromFuture(() -> this.kafka.send(Topics.JOB_COMMANDS, queued.getJobId(), again.command()))
				.then()
				.onErrorResume((ex) -> notSubmitted(queued, ex)))
			.publishOn(Schedulers.parallel())
			.then(Mono.fromRunnable(() -> {
				this.ledger.submitted(queued);
				logger.info("{} retried job {} of {} as {}", operator, queued.getResubmitOf(), owner, queued.getJobId());
			}))
			.thenReturn(queued)
			.onErrorMap((ex) -> !(ex instanceof ErrorResponseException), (ex) -> ApiProblem.SUBMISSION_FAILED
				.exception("The retry could not be queued right now; try again shortly", ex));
	}

	/** Never leave the owner with a job QUEUED for ever; answer the operator without waiting for that write too. */
	private Mono<Void> notSubmitted(JobStatusChanged queued, Throwable cause) {
		logger.error("Could not retry job {} of {}", queued.getResubmitOf(), queued.getOwner(), cause);
		NotSubmitted.write(this.kafka, queued);
		return Mono.error(ApiProblem.SUBMISSION_FAILED
			.exception("The retry could not be queued right now; try again shortly", cause));
	}

	/** @param replayed whether an earlier retry made this job */
	record Retried(JobStatusChanged job, boolean replayed) {
	}

}
