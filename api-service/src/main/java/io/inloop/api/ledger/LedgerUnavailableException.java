package io.inloop.api.ledger;

import io.inloop.api.problems.ApiProblem;

import org.springframework.web.ErrorResponseException;

/** The ledger's store cannot be read right now (starting, rebalancing, restoring): try again shortly. */
class LedgerUnavailableException extends ErrorResponseException {

	/** Seconds a client should wait before asking again: a rebalance or a restart's restore takes about that. */
	static final String RETRY_AFTER_SECONDS = "1";

	LedgerUnavailableException(Throwable cause) {
		super(ApiProblem.LEDGER_UNAVAILABLE.status(),
				ApiProblem.LEDGER_UNAVAILABLE.detail("The job ledger is not available right now; try again shortly"), cause);
		getHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
	}

	LedgerUnavailableException(String state) {
		this(new IllegalStateException("The ledger is " + state));
	}

}
