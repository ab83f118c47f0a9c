package io.inloop.api.ledger;

import java.util.List;

import io.inloop.schemas.JobStatusChanged;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.web.ErrorResponseException;

/**
 * What the request asks is held by another instance, or may be: {@link PeerForwarding} asks the
 * {@link #holders} in turn instead. A 503 like any unavailable ledger wherever it is not forwarded,
 * so that a request forwarded already, to an instance that no longer holds the partition (a
 * rebalance under way), is told to come back rather than sent on again.
 */
final class LedgerElsewhereException extends LedgerUnavailableException {

	private final List<HostInfo> holders;

	private final @Nullable JobStatusChanged justSubmitted;

	private final @Nullable ErrorResponseException whenForwarded;

	/** The owner's partition is held by {@code holder}. */
	LedgerElsewhereException(HostInfo holder) {
		this(List.of(holder), null, null);
	}

	/**
	 * A job this instance does not have may be on one of {@code others}; if this instance was
	 * asked by another, its own answer is {@code here}.
	 */
	LedgerElsewhereException(List<HostInfo> others, ErrorResponseException here) {
		this(others, null, here);
	}

	private LedgerElsewhereException(List<HostInfo> holders, @Nullable JobStatusChanged justSubmitted,
			@Nullable ErrorResponseException whenForwarded) {
		super(new IllegalStateException("Held by " + holders));
		this.holders = List.copyOf(holders);
		this.justSubmitted = justSubmitted;
		this.whenForwarded = whenForwarded;
	}

	/** The instances to ask, in turn, until one has what the request asks for. */
	List<HostInfo> holders() {
		return this.holders;
	}

	/**
	 * A job this instance accepted that the holder's ledger may not have processed yet: while the
	 * holder answers that it has no such job, it is asked again (read your writes across instances).
	 */
	@Nullable JobStatusChanged justSubmitted() {
		return this.justSubmitted;
	}

	/** The answer when another instance asked this one: its own, never a forward. */
	ErrorResponseException whenForwarded() {
		return (this.whenForwarded != null) ? this.whenForwarded : this;
	}

	/** The same, with the job this instance just accepted that the request is about. */
	LedgerElsewhereException expecting(@Nullable JobStatusChanged job) {
		return (job != null) ? new LedgerElsewhereException(this.holders, job, this.whenForwarded) : this;
	}

}
