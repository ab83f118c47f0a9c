package io.inloop.api.ledger;

import io.inloop.api.problems.ApiProblem;

import org.springframework.web.ErrorResponseException;

/** The ledger's store cannot be read right now (starting, rebalancing, restoring): try again shortly. */
class LedgerUnavailableException extends ErrorResponseException {

	LedgerUnavailableException(Throwable cause) {
		super(ApiProblem.LEDGER_UNAVAILABLE.status(),
				ApiProblem.LEDGER_UNAVAILABLE.detail("The job ledger is not available right now; try again shortly"), cause);
		ApiProblem.retryAfter(getHeaders(), ApiProblem.RETRY_AFTER);
	}

	LedgerUnavailableException(String state) {
		this(new IllegalStateException("The ledger is " + state));
	}

}
