package io.inloop.worker.execution;

import io.inloop.schemas.SubmitJob;

/**
 * The worker stopped before the job finished: no terminal snapshot is written and the command is
 * not committed, so Kafka redelivers it (to this or another worker) as the next attempt.
 */
class JobHandedBackException extends RuntimeException {

	JobHandedBackException(SubmitJob command) {
		super("Job " + command.getJobId() + " is handed back for another worker: this one is stopping");
	}

}
