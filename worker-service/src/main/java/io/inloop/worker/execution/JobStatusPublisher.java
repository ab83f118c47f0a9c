package io.inloop.worker.execution;

import java.util.concurrent.CompletableFuture;

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

	JobStatusPublisher(KafkaTemplate<String, JobStatusChanged> template, JobMetrics metrics) {
		this.template = template;
		this.metrics = metrics;
	}

	/** Completes when Kafka has acknowledged the snapshot; never throws, failures complete the future. */
	CompletableFuture<SendResult<String, JobStatusChanged>> publish(JobStatusChanged snapshot) {
		this.metrics.record(snapshot);
		try {
			return this.template.send(Topics.JOB_STATUS, snapshot.getOwner(), snapshot);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
