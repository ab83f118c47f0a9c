package io.inloop.api.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.inloop.api.ledger.JobLedger;
import io.inloop.schemas.JobIds;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns an accepted request into a job: the {@code QUEUED} snapshot for its owner and the
 * {@code SubmitJob} command for the workers, sent together and both acknowledged before the
 * caller hears back (docs/architecture.md says why not in a transaction).
 */
@Component
class JobSubmission {

	private static final Logger logger = LoggerFactory.getLogger(JobSubmission.class);

	private final KafkaTemplate<String, SpecificRecord> kafka;

	private final JobLedger ledger;

	private final MeterRegistry meters;

	/** Idempotent submissions under way on this instance, so a concurrent repeat joins the first. */
	private final Map<String, Mono<Submitted>> inFlight = new ConcurrentHashMap<>();

	JobSubmission(KafkaTemplate<String, SpecificRecord> kafka, JobLedger ledger, MeterRegistry meters) {
		this.kafka = kafka;
		this.ledger = ledger;
		this.meters = meters;
	}

	Mono<Submitted> submit(JobRequest request) {
		if (request.idempotencyKey() == null) {
			return send(request, JobIds.next()).map((job) -> new Submitted(job, false));
		}
		String jobId = JobIds.forIdempotencyKey(request.owner(), request.submitter(), request.idempotencyKey());
		return this.inFlight.computeIfAbsent(jobId, (id) -> Mono
			.fromCallable(() -> this.ledger.find(request.owner(), id))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((existing) -> existing.map((job) -> Mono.just(new Submitted(job, true)))
				.orElseGet(() -> send(request, id).map((job) -> new Submitted(job, false))))
			.doFinally((signal) -> this.inFlight.remove(id))
			.cache());
	}

	private Mono<JobStatusChanged> send(JobRequest request, String jobId) {
		Instant now = Instant.now();
		SubmitJob command = SubmitJob.newBuilder()
			.setJobId(jobId)
			.setOwner(request.owner())
			.setType(request.type())
			.setPayload(request.payload())
			.setSubmittedAt(now)
			.setMaxAttempts(request.maxAttempts())
			.setTimeoutMillis(request.timeout().toMillis())
			.setSubmittedBy(request.onBehalf() ? request.submitter() : null)
			.build();
		JobStatusChanged queued = JobSnapshots.queued(command, "Waiting for a worker");
		Mono<?> status = Mono.fromFuture(() -> this.kafka.send(Topics.JOB_STATUS, request.owner(), queued));
		Mono<?> work = Mono.fromFuture(() -> this.kafka.send(Topics.JOB_COMMANDS, jobId, command));
		return Mono.when(status, work)
			// The acks complete on the producer's I/O thread, which sends every request's records:
			// answer the request elsewhere, or one thread writes every response and delays every send
			.publishOn(Schedulers.parallel())
			.then(Mono.fromRunnable(() -> accepted(request, queued)))
			.thenReturn(queued)
			.onErrorResume((ex) -> failToSubmit(queued, ex));
	}

	private void accepted(JobRequest request, JobStatusChanged queued) {
		this.ledger.submitted(queued);
		Counter.builder("inloop.jobs.submitted")
			.description("Jobs accepted by the API")
			.tag("type", queued.getType())
			.register(this.meters)
			.increment();
		if (request.onBehalf()) {
			// Tagged by submitter: only the few services granted jobs:submit-for submit for others
			Counter.builder("inloop.jobs.submitted.for")
				.description("Jobs accepted from a service for a user it named (scope jobs:submit-for)")
				.tag("submitter", request.submitter())
				.tag("type", queued.getType())
				.register(this.meters)
				.increment();
			logger.info("Accepted job {} ({}) for {} from {}", queued.getJobId(), queued.getType(), queued.getOwner(),
					request.submitter());
		}
		else {
			logger.debug("Accepted job {} ({}) for {}", queued.getJobId(), queued.getType(), queued.getOwner());
		}
	}

	/** The command may not have reached the workers: say so on the job, so it never sits QUEUED forever. */
	private Mono<JobStatusChanged> failToSubmit(JobStatusChanged queued, Throwable cause) {
		logger.error("Could not submit job {} of {}", queued.getJobId(), queued.getOwner(), cause);
		JobStatusChanged failed = JobSnapshots.notSubmitted(queued, Instant.now());
		return Mono.fromFuture(() -> this.kafka.send(Topics.JOB_STATUS, queued.getOwner(), failed))
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.error(new SubmissionFailedException(cause)));
	}

	/** @param replayed whether an earlier request with the same Idempotency-Key made this job */
	record Submitted(JobStatusChanged job, boolean replayed) {
	}

}
