package io.inloop.api.ledger;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The latest snapshot per job, kept by replaying the status topic through {@link JobLifecycle}.
 * Each instance reads the whole topic from the start under a group of its own, so a restart
 * rebuilds it. The durable ledger (Kafka Streams over {@code inloop.jobs}) replaces this.
 */
@Component
public class JobLedger {

	private final Map<String, JobStatusChanged> jobs = new ConcurrentHashMap<>();

	private final AtomicLong dropped = new AtomicLong();

	public Optional<JobStatusChanged> find(String jobId) {
		return Optional.ofNullable(this.jobs.get(jobId));
	}

	/** Applies a snapshot if it advances its job; anything else is dropped and counted. */
	public void record(JobStatusChanged event) {
		this.jobs.merge(event.getJobId(), event, (current, next) -> {
			if (JobLifecycle.move(current, next) == JobLifecycle.Move.ACCEPTED) {
				return next;
			}
			this.dropped.incrementAndGet();
			return current;
		});
	}

	@KafkaListener(topics = Topics.JOB_STATUS, groupId = "inloop-api-ledger-${random.uuid}",
			properties = "auto.offset.reset=earliest", containerFactory = "statusListenerContainerFactory")
	void on(JobStatusChanged event) {
		record(event);
	}

	long dropped() {
		return this.dropped.get();
	}

}
