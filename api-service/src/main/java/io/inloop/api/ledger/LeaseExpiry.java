package io.inloop.api.ledger;

import io.inloop.schemas.JobStatusChanged;

/**
 * Told by the ledger when a running job's lease is over: it was reported {@code STALLED} and no
 * snapshot of it came for {@code inloop.ledger.requeue-after} more. Called on the stream thread,
 * once per stall of a job on the instance that holds its partition; whoever implements it must not
 * block (the API queues the next attempt in the background: {@code io.inloop.api.leases}).
 */
@FunctionalInterface
public interface LeaseExpiry {

	/** Nobody acts: the job stays {@code STALLED}. */
	LeaseExpiry NONE = (stalled) -> {
	};

	/** @param stalled the job as the ledger holds it: {@code STALLED}, at the silent attempt's last version */
	void expired(JobStatusChanged stalled);

}
