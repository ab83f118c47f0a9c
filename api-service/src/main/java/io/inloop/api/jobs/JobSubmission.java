package io.inloop.api.jobs;

import java.time.Instant;

import io.inloop.api.ledger.JobLedger;
import io.inloop.schemas.JobError;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

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

	JobSubmission(KafkaTemplate<String, SpecificRecord> kafka, JobLedger ledger) {
		this.kafka = kafka;
		this.ledger = ledger;
	}

	Mono<JobStatusChanged> submit(String owner, String type, String payload) {
		Instant now = Instant.now();
		String jobId = JobIds.next();
		SubmitJob command = SubmitJob.newBuilder()
			.setJobId(jobId)
			.setOwner(owner)
			.setType(type)
			.setPayload(payload)
			.setSubmittedAt(now)
			.build();
		JobStatusChanged queued = JobStatusChanged.newBuilder()
			.setJobId(jobId)
			.setOwner(owner)
			.setType(type)
			.setState(JobState.QUEUED)
			.setProgress(new JobProgress(0L, 0L))
			.setMessage("Waiting for a worker")
			.setAttempt(0)
			.setSequence(0)
			.setSubmittedAt(now)
			.setUpdatedAt(now)
			.build();
		Mono<?> status = Mono.fromFuture(() -> this.kafka.send(Topics.JOB_STATUS, owner, queued));
		Mono<?> work = Mono.fromFuture(() -> this.kafka.send(Topics.JOB_COMMANDS, jobId, command));
		return Mono.when(status, work)
			.doOnSuccess((ignored) -> this.ledger.record(queued))
			.thenReturn(queued)
			.onErrorResume((ex) -> failToSubmit(queued, ex));
	}

	/** The command may not have reached the workers: say so on the job, so it never sits QUEUED forever. */
	private Mono<JobStatusChanged> failToSubmit(JobStatusChanged queued, Throwable cause) {
		logger.error("Could not submit job {} of {}", queued.getJobId(), queued.getOwner(), cause);
		JobStatusChanged failed = JobStatusChanged.newBuilder(queued)
			.setState(JobState.FAILED)
			.setSequence(1)
			.setMessage("The job could not be submitted")
			.setError(new JobError("submit-failed", "The job could not be handed to the workers; submit it again",
					true))
			.setUpdatedAt(Instant.now())
			.setFinishedAt(Instant.now())
			.build();
		return Mono.fromFuture(() -> this.kafka.send(Topics.JOB_STATUS, queued.getOwner(), failed))
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.error(new SubmissionFailedException(cause)));
	}

}
