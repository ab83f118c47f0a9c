package io.inloop.api.ledger;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The ledger's store cannot be read right now (starting, rebalancing, restoring): try again shortly. */
class LedgerUnavailableException extends ErrorResponseException {

	/** Seconds a client should wait before asking again: a rebalance or a restart's restore takes about that. */
	static final String RETRY_AFTER_SECONDS = "1";

	LedgerUnavailableException(Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The job ledger is not available right now; try again shortly"), cause);
		getHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
	}

	LedgerUnavailableException(String state) {
		this(new IllegalStateException("The ledger is " + state));
	}

}
