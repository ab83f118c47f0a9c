package io.inloop.api.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Kafka did not take the job; the caller may retry. */
class SubmissionFailedException extends ErrorResponseException {

	SubmissionFailedException(Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The job could not be queued right now; try again shortly"), cause);
	}

}
