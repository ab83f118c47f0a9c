package io.inloop.api.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inloop.api.commands.SubmittedCommands;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.JobIds;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

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

	/** Tries of one Idempotency-Key whose jobs were never submitted, at most; the last one's job is then the key's. */
	static final int MAX_TRIES_PER_KEY = 16;

	private final KafkaTemplate<String, SpecificRecord> kafka;

	private final JobLedger ledger;

	private final MeterRegistry meters;

	private final SubmittedCommands commands;

	/** Idempotent submissions under way on this instance, so a concurrent repeat joins the first. */
	private final Map<String, Idempotent> inFlight = new ConcurrentHashMap<>();

	/** The fingerprints of the requests that made jobs here with an Idempotency-Key, by job id (bounded). */
	private final Cache<String, String> fingerprints;

	/**
	 * The ids of idempotent jobs whose command Kafka refused here: their FAILED snapshot may not be
	 * in the ledger yet when the caller tries again (bounded).
	 */
	private final Cache<String, Boolean> notSubmitted;

	JobSubmission(KafkaTemplate<String, SpecificRecord> kafka, JobLedger ledger, SubmittedCommands commands,
			IdempotencySettings idempotency, MeterRegistry meters) {
		this.kafka = kafka;
		this.ledger = ledger;
		this.commands = commands;
		this.meters = meters;
		this.fingerprints = Caffeine.newBuilder()
			.maximumSize(idempotency.remembered())
			.expireAfterWrite(idempotency.rememberFor())
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meters, this.fingerprints, "inloop.api.idempotency.fingerprints");
		this.notSubmitted = Caffeine.newBuilder()
			.maximumSize(idempotency.remembered())
			.expireAfterWrite(idempotency.rememberFor())
			.build();
	}

	/**
	 * Makes the job {@code request} asks for. With an {@code Idempotency-Key}, a repeat gets the job
	 * the key made, {@code replayed}, whether it comes after that job was made or while it is being
	 * made; only the request that made it hears {@code replayed} false. A repeat that asks for
	 * another job ({@link RequestFingerprint}) is refused ({@link ApiProblem#IDEMPOTENCY_KEY_REUSED}).
	 */
	Mono<Submitted> submit(JobRequest request) {
		if (request.idempotencyKey() == null) {
			return send(request, JobIds.next()).map((job) -> new Submitted(job, false));
		}
		String jobId = JobIds.forIdempotencyKey(request.owner(), request.submitter(), request.idempotencyKey());
		String fingerprint = RequestFingerprint.of(request);
		Idempotent mine = new Idempotent(fingerprint, Mono.defer(() -> findOrSend(request, jobId, fingerprint))
			.doFinally((signal) -> this.inFlight.remove(jobId))
			.cache());
		Idempotent first = this.inFlight.putIfAbsent(jobId, mine);
		if (first == null) {
			return mine.submitted();
		}
		if (!first.fingerprint().equals(fingerprint)) {
			return Mono.error(reused());
		}
		return first.submitted().map((submitted) -> new Submitted(submitted.job(), true));
	}

	/**
	 * The job of the key's latest try, or a new one. A try whose job was never submitted (Kafka
	 * refused its command: the caller heard {@code 503}, and is told to try again with the same key)
	 * does not count: the next try makes its job under the key's next id
	 * ({@link JobIds#forIdempotencyKey(String, String, String, int)}), as that id's job is
	 * {@code FAILED} for good.
	 */
	private Mono<Submitted> findOrSend(JobRequest request, String firstId, String fingerprint) {
		return findOrSend(request, firstId, fingerprint, 0);
	}

	private Mono<Submitted> findOrSend(JobRequest request, String firstId, String fingerprint, int generation) {
		String jobId = (generation == 0) ? firstId
				: JobIds.forIdempotencyKey(request.owner(), request.submitter(), request.idempotencyKey(), generation);
		return Mono.fromCallable(() -> this.ledger.find(request.owner(), jobId))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((existing) -> {
				// Refused here, its FAILED snapshot perhaps not in the ledger yet; or the ledger says so
				boolean neverSubmitted = existing.map(JobSnapshots::isNotSubmitted)
					.orElseGet(() -> this.notSubmitted.getIfPresent(jobId) != null);
				if (neverSubmitted && generation < MAX_TRIES_PER_KEY - 1) {
					String made = this.fingerprints.getIfPresent(jobId);
					if (made != null && !made.equals(fingerprint)) {
						return Mono.error(reused());
					}
					return findOrSend(request, firstId, fingerprint, generation + 1);
				}
				return existing.map((job) -> replay(request, job, fingerprint))
					.orElseGet(() -> send(request, jobId).map((job) -> {
						this.fingerprints.put(jobId, fingerprint);
						return new Submitted(job, false);
					}).doOnError(SubmissionFailedException.class, (ex) -> {
						this.fingerprints.put(jobId, fingerprint);
						this.notSubmitted.put(jobId, Boolean.TRUE);
					}));
			});
	}

	/**
	 * The job an earlier request with this key made, if this request asks for the same: compared
	 * with the fingerprint remembered when the job was made here, or else with the job's command
	 * read back (a command past the topic's retention can no longer be compared: the type must match).
	 */
	private Mono<Submitted> replay(JobRequest request, JobStatusChanged job, String fingerprint) {
		if (!request.type().equals(job.getType())) {
			return Mono.error(reused());
		}
		String made = this.fingerprints.getIfPresent(job.getJobId());
		Mono<String> madeBy = (made != null) ? Mono.just(made)
				: this.commands.of(request.owner(), job).map(RequestFingerprint::of);
		return madeBy.flatMap((earlier) -> earlier.equals(fingerprint) ? Mono.just(earlier) : Mono.error(reused()))
			.thenReturn(new Submitted(job, true));
	}

	private static ErrorResponseException reused() {
		return ApiProblem.IDEMPOTENCY_KEY_REUSED.exception(
				"This Idempotency-Key already made a job from another request; use a new key for a new job");
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

	/**
	 * The command may not have reached the workers: say so on the job, so it never sits QUEUED
	 * forever, and answer the caller at once. When Kafka takes no writes, that snapshot waits out a
	 * delivery timeout of its own: the caller does not wait for it too.
	 */
	private Mono<JobStatusChanged> failToSubmit(JobStatusChanged queued, Throwable cause) {
		logger.error("Could not submit job {} of {}", queued.getJobId(), queued.getOwner(), cause);
		NotSubmitted.write(this.kafka, queued);
		return Mono.error(new SubmissionFailedException(cause));
	}

	/** @param replayed whether an earlier request with the same Idempotency-Key made this job */
	record Submitted(JobStatusChanged job, boolean replayed) {
	}

	/** An idempotent submission under way: the fingerprint of what it asked for, and its outcome for whoever joins it. */
	private record Idempotent(String fingerprint, Mono<Submitted> submitted) {
	}

}
