package io.inloop.api.ledger;

import io.inloop.schemas.JobStatusChanged;

/**
 * Told by the ledger when a running job's lease is over: it was reported {@code STALLED} and no
 * snapshot of it came for {@code inloop.ledger.requeue-after} more; and when the fence that ended
 * a lease was not followed by the next attempt within {@code requeue-after} either. Called on the
 * stream thread, once per stall (and once per fence) of a job on the instance that holds its
 * partition, or once more after the ledger's task starts; whoever implements it must not block
 * (the API queues the next attempt in the background: {@code io.inloop.api.leases}).
 */
public interface LeaseExpiry {

	/** Nobody acts: the job stays {@code STALLED}. */
	LeaseExpiry NONE = (stalled) -> {
	};

	/** @param stalled the job as the ledger holds it: {@code STALLED}, at the silent attempt's last version */
	void expired(JobStatusChanged stalled);

	/**
	 * A lease ended with a {@code RETRYING} fence ({@code io.inloop.schemas.JobSnapshots#leaseLost}),
	 * and no snapshot of the next attempt came since: its command may be queued behind others, or
	 * was never written (the instance that wrote the fence stopped before it); the implementation
	 * finds out which. Nothing by default.
	 * @param fence the job as the ledger holds it: the fence, at the lost attempt's last sequence
	 */
	default void nextAttemptUnseen(JobStatusChanged fence) {
	}

}
