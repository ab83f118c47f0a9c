package io.inloop.api.jobs;

import java.time.Instant;

import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;

import reactor.core.publisher.Mono;

/**
 * A new job whose command Kafka did not take (a submission, an operator's retry): its
 * {@code FAILED} snapshot ({@link JobSnapshots#notSubmitted}), so that it never sits
 * {@code QUEUED} for ever. Written without the caller waiting for it: when Kafka takes no writes,
 * it waits out a delivery timeout of its own, and the caller has waited for one already.
 */
public final class NotSubmitted {

	private static final Logger logger = LoggerFactory.getLogger(NotSubmitted.class);

	private NotSubmitted() {
	}

	public static void write(KafkaTemplate<String, SpecificRecord> kafka, JobStatusChanged queued) {
		Mono.fromFuture(() -> kafka.send(Topics.JOB_STATUS, queued.getOwner(), JobSnapshots.notSubmitted(queued, Instant.now())))
			.subscribe(null, (ex) -> logger.error("The FAILED snapshot of job {} of {} could not be written either",
					queued.getJobId(), queued.getOwner(), ex));
	}

}
