package io.inloop.worker.execution;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.worker.handler.JobFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * The commands an attempt writes when it hands its job on: the next attempt's command, on the retry
 * topic after a back-off ({@link #scheduleRetry}) or at once on the command topic when this worker
 * stops ({@link #requeue}), and the dead letter of a job that ends without attempts left or whose
 * command cannot be read ({@link #deadLetter}). Each is written before the snapshot that announces
 * it, so a job is never shown waiting for a command that does not exist: if the worker dies in
 * between, the job is still {@code RUNNING}, its heartbeats stop, and the ledger queues its next
 * attempt (docs/architecture.md, "Leases").
 */
@Component
class Settlement {

	private final KafkaTemplate<Object, Object> template;

	private final DeadLetterPublishingRecoverer deadLetters;

	private final Counter deadLetteredUnreadable;

	private final MeterRegistry meters;

	Settlement(WorkerProducer producer, MeterRegistry meters) {
		this.template = producer.template();
		this.deadLetters = producer.deadLetters();
		this.meters = meters;
		this.deadLetteredUnreadable = counter(meters, "unreadable");
	}

	/** Attempt {@code nextAttempt} of the job, not to start before {@code at}: the retry scheduler moves it when due. */
	CompletableFuture<?> scheduleRetry(SubmitJob command, int nextAttempt, Instant at) {
		SubmitJob next = SubmitJob.newBuilder(command).setAttempt(nextAttempt).setNotBefore(at).build();
		return send(Topics.JOB_RETRIES, next);
	}

	/** Attempt {@code nextAttempt} of the job, at once, for any free slot of any worker. */
	CompletableFuture<?> requeue(SubmitJob command, int nextAttempt) {
		SubmitJob next = SubmitJob.newBuilder(command).setAttempt(nextAttempt).setNotBefore(null).build();
		return send(Topics.JOB_COMMANDS, next);
	}

	/**
	 * The command's record as it was read, on the dead-letter topic with spring-kafka's
	 * {@code kafka_dlt-*} headers and the job's error code ({@code inloop_error-code}).
	 */
	CompletableFuture<?> deadLetter(ConsumerRecord<String, byte[]> record, @Nullable SubmitJob command, JobFailure failure) {
		try {
			// The recoverer waits for the write (spring-kafka's default: the producer's delivery timeout)
			this.deadLetters.accept(record, new JobDeadLetteredException(failure));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		((command != null) ? counter(this.meters, command.getType()) : this.deadLetteredUnreadable).increment();
		return CompletableFuture.completedFuture(null);
	}

	private CompletableFuture<?> send(String topic, SubmitJob command) {
		try {
			return this.template.send(topic, command.getJobId(), command);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static Counter counter(MeterRegistry meters, String type) {
		return Counter.builder("inloop.jobs.dead-lettered")
			.description("Commands written to the dead-letter topic (type unreadable: the command could not be read)")
			.tag("type", type)
			.register(meters);
	}

}
