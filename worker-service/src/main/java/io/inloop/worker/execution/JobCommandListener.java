package io.inloop.worker.execution;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Runs each {@link SubmitJob} command of the worker group. Returning commits the command
 * ({@code ack-mode: record}), so it returns only once the job's terminal snapshot is written;
 * what the runner throws is for the error handler (retry, dead-letter, or leave uncommitted).
 */
@Component
class JobCommandListener {

	static final String ID = "job-commands";

	static final String GROUP = "inloop-workers";

	private static final Log logger = LogFactory.getLog(JobCommandListener.class);

	private final Attempts attempts;

	private final JobRunner runner;

	JobCommandListener(Attempts attempts, JobRunner runner) {
		this.attempts = attempts;
		this.runner = runner;
	}

	@KafkaListener(id = ID, groupId = GROUP, topics = Topics.JOB_COMMANDS)
	void on(ConsumerRecord<String, @Nullable SubmitJob> record, Consumer<?, ?> consumer) {
		SubmitJob command = record.value();
		if (command == null) {
			logger.warn("Skipping an empty command at " + record.topic() + "-" + record.partition() + "@"
					+ record.offset());
			return;
		}
		if (this.runner.isStopping()) {
			// Before the attempt is marked started: no attempt number is used up by a job that never ran
			throw new JobHandedBackException(command);
		}
		this.runner.run(command, this.attempts.start(record, consumer));
	}

}
