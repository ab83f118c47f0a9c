package io.inloop.api.ledger;

import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

/**
 * The owner's ledger partition is held by another instance, {@link #holder}: {@link PeerForwarding}
 * asks it the caller's request instead. A 503 like any unavailable ledger wherever it is not
 * forwarded, so a request that was forwarded already, to an instance that no longer holds the
 * partition (a rebalance under way), is told to come back rather than sent on again.
 */
final class LedgerElsewhereException extends LedgerUnavailableException {

	private final HostInfo holder;

	private final @Nullable JobStatusChanged justSubmitted;

	LedgerElsewhereException(HostInfo holder) {
		this(holder, null);
	}

	private LedgerElsewhereException(HostInfo holder, @Nullable JobStatusChanged justSubmitted) {
		super(new IllegalStateException("The ledger partition is held by " + holder));
		this.holder = holder;
		this.justSubmitted = justSubmitted;
	}

	/** The instance that holds the owner's ledger partition. */
	HostInfo holder() {
		return this.holder;
	}

	/**
	 * A job this instance accepted that the holder's ledger may not have processed yet: while the
	 * holder answers that it has no such job, it is asked again (read your writes across instances).
	 */
	@Nullable JobStatusChanged justSubmitted() {
		return this.justSubmitted;
	}

	/** The same, with the job this instance just accepted that the request is about. */
	LedgerElsewhereException expecting(@Nullable JobStatusChanged job) {
		return (job != null) ? new LedgerElsewhereException(this.holder, job) : this;
	}

}
