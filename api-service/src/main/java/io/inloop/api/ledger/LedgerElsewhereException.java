package io.inloop.api.ledger;

import java.util.List;

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

	private final @Nullable NotYetHeld notYetHeld;

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

	private LedgerElsewhereException(List<HostInfo> holders, @Nullable NotYetHeld notYetHeld,
			@Nullable ErrorResponseException whenForwarded) {
		super(new IllegalStateException("Held by " + holders));
		this.holders = List.copyOf(holders);
		this.notYetHeld = notYetHeld;
		this.whenForwarded = whenForwarded;
	}

	/** The instances to ask, in turn, until one has what the request asks for. */
	List<HostInfo> holders() {
		return this.holders;
	}

	/** What this instance just accepted that the holder's ledger may not have processed yet. */
	@Nullable NotYetHeld notYetHeld() {
		return this.notYetHeld;
	}

	/** The answer when another instance asked this one: its own, never a forward. */
	ErrorResponseException whenForwarded() {
		return (this.whenForwarded != null) ? this.whenForwarded : this;
	}

	/** The same, with what this instance just accepted that the answer must hold. */
	LedgerElsewhereException expecting(NotYetHeld accepted) {
		return new LedgerElsewhereException(this.holders, accepted, this.whenForwarded);
	}

}
