package io.inloop.worker.execution;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * The one place that turns a {@link Verdict} into the command's acknowledgement: accept once the
 * job is done or its retry is scheduled, reject once it is dead-lettered, release what is handed
 * back. Whatever cannot be recorded (the retry or the dead letter not written) is released, so the
 * command is delivered again rather than lost.
 */
@Component
class Settlement {

	private static final Log logger = LogFactory.getLog(Settlement.class);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

	private final KafkaTemplate<Object, Object> template;

	private final DeadLetterPublishingRecoverer deadLetters;

	private final MeterRegistry meters;

	Settlement(WorkerProducer producer, MeterRegistry meters) {
		this.template = producer.template();
		this.deadLetters = producer.deadLetters();
		this.meters = meters;
	}

	/**
	 * Records what the verdict needs recorded, and says how to acknowledge the command. Runs on the
	 * job slot's thread, which may wait here for Kafka.
	 */
	AcknowledgeType acknowledge(ConsumerRecord<String, byte[]> record, @Nullable SubmitJob command, Verdict verdict) {
		if (verdict instanceof Verdict.Done) {
			return AcknowledgeType.ACCEPT;
		}
		if (verdict instanceof Verdict.RetryAt retry && command != null) {
			return scheduleRetry(command, retry);
		}
		if (verdict instanceof Verdict.DeadLetter deadLetter) {
			return deadLetter(record, command, deadLetter);
		}
		return AcknowledgeType.RELEASE;
	}

	private AcknowledgeType scheduleRetry(SubmitJob command, Verdict.RetryAt retry) {
		SubmitJob next = SubmitJob.newBuilder(command).setAttempt(retry.nextAttempt()).setNotBefore(retry.at()).build();
		try {
			this.template.send(Topics.JOB_RETRIES, command.getJobId(), next)
				.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return AcknowledgeType.ACCEPT;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Could not schedule attempt " + retry.nextAttempt() + " of job " + command.getJobId()
					+ "; releasing its command so that it runs again", ex);
		}
		return AcknowledgeType.RELEASE;
	}

	private AcknowledgeType deadLetter(ConsumerRecord<String, byte[]> record, @Nullable SubmitJob command,
			Verdict.DeadLetter deadLetter) {
		try {
			this.deadLetters.accept(record, new JobDeadLetteredException(deadLetter.failure()));
			Counter.builder("inloop.jobs.dead-lettered")
				.description("Commands written to the dead-letter topic (type unreadable: the command could not be read)")
				.tag("type", (command != null) ? command.getType() : "unreadable")
				.register(this.meters)
				.increment();
			return AcknowledgeType.REJECT;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not dead-letter " + record.topic() + "-" + record.partition() + "@" + record.offset()
					+ "; releasing it so that it is delivered again", ex);
			return AcknowledgeType.RELEASE;
		}
	}

}
