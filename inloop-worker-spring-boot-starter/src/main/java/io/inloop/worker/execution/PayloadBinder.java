package io.inloop.worker.execution;

import io.inloop.worker.handler.InvalidPayloadException;
import io.inloop.worker.handler.JobHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/** Binds a command's JSON payload to its handler's payload record, and writes results as JSON. */
@Component
class PayloadBinder {

	private static final String EMPTY_OBJECT = "{}";

	private final JsonMapper jsonMapper;

	PayloadBinder(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/** @throws InvalidPayloadException if the payload is not JSON or does not fit the record */
	<P> P bind(String payload, JobHandler<P> handler) {
		String json = payload.isBlank() ? EMPTY_OBJECT : payload;
		P bound;
		try {
			bound = this.jsonMapper.readValue(json, handler.payloadType());
		}
		catch (JacksonException ex) {
			throw new InvalidPayloadException("Invalid payload for " + handler.type() + ": " + reasonFor(ex));
		}
		if (bound == null) {
			throw new InvalidPayloadException("Invalid payload for " + handler.type() + ": expected a JSON object");
		}
		return bound;
	}

	/** @throws JacksonException if the result cannot be written as JSON */
	String write(Object result) {
		return this.jsonMapper.writeValueAsString(result);
	}

	/** A record's own validation reads better than Jackson's wrapping of it. */
	private static String reasonFor(JacksonException ex) {
		Throwable cause = ex.getCause();
		if (ex instanceof ValueInstantiationException && cause != null && cause.getMessage() != null) {
			return cause.getMessage();
		}
		return ex.getOriginalMessage();
	}

}
