package io.inloop.worker.execution;

import java.util.concurrent.CompletableFuture;

import io.micrometer.tracing.Span;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/** Writes status snapshots to the status topic, keyed by owner so each user's events stay in order. */
@Component
class JobStatusPublisher {

	private final KafkaTemplate<String, JobStatusChanged> template;

	private final JobMetrics metrics;

	private final JobTracing tracing;

	JobStatusPublisher(WorkerProducer producer, JobMetrics metrics, JobTracing tracing) {
		this.template = producer.snapshots();
		this.metrics = metrics;
		this.tracing = tracing;
	}

	/**
	 * Sends the snapshot at once, without waiting for earlier ones: the idempotent producer keeps
	 * them in order. Completes when Kafka has acknowledged it; never throws, failures complete the
	 * future.
	 * @param trace the job attempt's span, whose trace the record's headers carry
	 */
	CompletableFuture<SendResult<String, JobStatusChanged>> publish(Span trace, JobStatusChanged snapshot) {
		this.metrics.record(snapshot);
		try (var scope = this.tracing.inScope(trace)) {
			return this.template.send(Topics.JOB_STATUS, snapshot.getOwner(), snapshot);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
