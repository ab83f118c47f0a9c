package io.inloop.worker.execution;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Runs each {@link SubmitJob} command of the worker group. Returning commits the command
 * ({@code ack-mode: record}), so it returns only once the job's terminal snapshot is written.
 */
@Component
class JobCommandListener {

	static final String ID = "job-commands";

	static final String GROUP = "inloop-workers";

	/** Redeliveries are not counted yet: every execution is the first attempt. */
	private static final int FIRST_ATTEMPT = 1;

	private static final Log logger = LogFactory.getLog(JobCommandListener.class);

	private final JobRunner runner;

	JobCommandListener(JobRunner runner) {
		this.runner = runner;
	}

	@KafkaListener(id = ID, groupId = GROUP, topics = Topics.JOB_COMMANDS)
	void on(ConsumerRecord<String, @Nullable SubmitJob> record) {
		SubmitJob command = record.value();
		if (command == null) {
			logger.warn("Skipping an empty command at " + record.topic() + "-" + record.partition() + "@"
					+ record.offset());
			return;
		}
		this.runner.run(command, FIRST_ATTEMPT);
	}

}
