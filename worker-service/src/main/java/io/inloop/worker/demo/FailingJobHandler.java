package io.inloop.worker.demo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobHandler;

import org.springframework.stereotype.Component;

/** {@code demo.fail}: always fails with the given message, as a handler error. */
@Component
class FailingJobHandler implements JobHandler<FailingJobHandler.Failure> {

	static final String TYPE = "demo.fail";

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public Class<Failure> payloadType() {
		return Failure.class;
	}

	@Override
	public Object handle(Failure payload, JobContext context) {
		throw new DemoFailureException(payload.message());
	}

	/**
	 * The payload, {@code {"message": "..."}}.
	 *
	 * @param message what the failure says to the job's owner
	 */
	record Failure(String message) {

		static final String DEFAULT_MESSAGE = "Demo failure: this job always fails";

		@JsonCreator
		static Failure of(@JsonProperty("message") @Nullable String message) {
			return new Failure((message != null && !message.isBlank()) ? message : DEFAULT_MESSAGE);
		}

	}

	/** What a real handler's bug or outage looks like to the worker. */
	static class DemoFailureException extends RuntimeException {

		DemoFailureException(String message) {
			super(message);
		}

	}

}
