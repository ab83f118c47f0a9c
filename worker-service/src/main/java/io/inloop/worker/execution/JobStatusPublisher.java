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

	JobStatusPublisher(KafkaTemplate<String, JobStatusChanged> template) {
		this.template = template;
	}

	/** Completes when Kafka has acknowledged the snapshot; never throws, failures complete the future. */
	CompletableFuture<SendResult<String, JobStatusChanged>> publish(JobStatusChanged snapshot) {
		try {
			return this.template.send(Topics.JOB_STATUS, snapshot.getOwner(), snapshot);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
