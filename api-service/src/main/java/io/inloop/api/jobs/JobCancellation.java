package io.inloop.api.jobs;

import java.time.Instant;

import io.inloop.api.ledger.JobLedger;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Cancels a job for its owner: {@code CancelJob} on the control topic reaches whichever worker has
 * it; a job still queued is also marked {@code CANCELLED} at once, so it never runs.
 */
@Component
public class JobCancellation {

	private final KafkaTemplate<String, SpecificRecord> kafka;

	private final JobLedger ledger;

	JobCancellation(KafkaTemplate<String, SpecificRecord> kafka, JobLedger ledger) {
		this.kafka = kafka;
		this.ledger = ledger;
	}

	/** Cancels {@code owner}'s job: 404 if it has none of that id, 409 if it has ended. */
	public Mono<JobStatusChanged> cancel(String owner, String jobId) {
		return Mono.fromCallable(() -> this.ledger.find(owner, jobId))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> job.orElseThrow(() -> ApiProblem.JOB_NOT_FOUND.exception("No job " + jobId)))
			.flatMap((job) -> {
				if (JobLifecycle.isTerminal(job.getState())) {
					return Mono.error(ApiProblem.JOB_ALREADY_ENDED.exception(
							"Job " + jobId + " has already ended " + job.getState() + "; it cannot be cancelled"));
				}
				Instant now = Instant.now();
				// Answered off the producer's I/O thread, as a submission is
				Mono<?> command = Mono.fromFuture(
						() -> this.kafka.send(Topics.JOB_CONTROL, jobId, new CancelJob(jobId, owner, now, null)));
				if (job.getState() != JobState.QUEUED) {
					return command.publishOn(Schedulers.parallel()).thenReturn(job);
				}
				JobStatusChanged cancelled = JobSnapshots.next(job, JobState.CANCELLED, now)
					.setMessage("Cancelled before it started")
					.build();
				// Both at once: the workers' cancellation and the owner's CANCELLED need not wait for each other
				return Mono.when(command, Mono.fromFuture(() -> this.kafka.send(Topics.JOB_STATUS, owner, cancelled)))
					.publishOn(Schedulers.parallel())
					.thenReturn(cancelled);
			});
	}

}
