package io.inloop.api.ledger;

import io.inloop.schemas.JobStatusChanged;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@link LeaseExpiry} bean, looked up when the ledger first tells it something: what acts on
 * an expiry reads the ledger, which needs the ledger's topology first.
 */
final class LazyLeaseExpiry implements LeaseExpiry {

	private final ObjectProvider<LeaseExpiry> leases;

	LazyLeaseExpiry(ObjectProvider<LeaseExpiry> leases) {
		this.leases = leases;
	}

	@Override
	public void expired(JobStatusChanged stalled) {
		this.leases.getIfAvailable(() -> NONE).expired(stalled);
	}

	@Override
	public void nextAttemptUnseen(JobStatusChanged fence) {
		this.leases.getIfAvailable(() -> NONE).nextAttemptUnseen(fence);
	}

}
