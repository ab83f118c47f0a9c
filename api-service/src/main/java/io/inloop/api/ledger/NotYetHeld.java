package io.inloop.api.ledger;

import java.util.List;

import io.inloop.schemas.JobStatusChanged;

/**
 * What this instance just accepted that the instance holding its owner's partition may not have
 * processed yet (read your writes across instances): an answer forwarded to it must not leave it out.
 */
sealed interface NotYetHeld {

	/** One job: while the holder says there is no such job, it is asked again. */
	record Job(JobStatusChanged job) implements NotYetHeld {
	}

	/** The owner's jobs that a list wants: those the holder's list leaves out are added, in its order and within its limit. */
	record Jobs(List<JobStatusChanged> jobs, int limit) implements NotYetHeld {
	}

}
