package io.inloop.api.jobs;

import io.inloop.api.problems.ApiProblem;

import org.springframework.web.ErrorResponseException;

/** Kafka did not take the job; the caller may retry. */
class SubmissionFailedException extends ErrorResponseException {

	SubmissionFailedException(Throwable cause) {
		super(ApiProblem.SUBMISSION_FAILED.status(),
				ApiProblem.SUBMISSION_FAILED.detail("The job could not be queued right now; try again shortly"), cause);
		ApiProblem.retryAfter(getHeaders(), ApiProblem.RETRY_AFTER);
	}

}
