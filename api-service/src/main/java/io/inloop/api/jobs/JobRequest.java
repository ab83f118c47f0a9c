package io.inloop.api.jobs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import io.inloop.api.problems.ApiProblem;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A submission that passed every check: what {@link JobSubmission} turns into a job.
 *
 * @param owner whose job it is: who sees, lists and cancels it
 * @param submitter who submitted it (JWT {@code sub}): the owner, or a service with scope {@code jobs:submit-for}
 */
record JobRequest(String owner, String submitter, String type, String payload, int maxAttempts, Duration timeout,
		@Nullable String idempotencyKey) {

	static final int MAX_ATTEMPTS_LIMIT = 10;

	static final Duration MAX_TIMEOUT = Duration.ofHours(24);

	private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

	/** Checks a request, answering 400 with a problem detail that says what is wrong. */
	static JobRequest validate(String owner, String submitter, SubmitJobRequest request,
			@Nullable String idempotencyKey, JobTypeSettings types) {
		String type = request.type();
		if (type == null || type.isBlank()) {
			throw badRequest("The job needs a \"type\"; known types: " + types.names());
		}
		JobTypeSettings.JobType defaults = types.find(type)
			.orElseThrow(() -> badRequest("Unknown job type \"" + type + "\"; known types: " + types.names()));
		JsonNode payload = request.payload();
		if (payload != null && !payload.isObject() && !payload.isNull()) {
			throw badRequest("\"payload\" must be a JSON object");
		}
		if (payload != null && hasNumberTooLarge(payload)) {
			throw badRequest("A number in \"payload\" is too large for a double (it would reach the worker as Infinity)");
		}
		int maxAttempts = (request.maxAttempts() != null) ? request.maxAttempts() : defaults.maxAttempts();
		if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
			throw badRequest("\"maxAttempts\" must be between 1 and " + MAX_ATTEMPTS_LIMIT);
		}
		Duration timeout = (request.timeout() != null) ? parseTimeout(request.timeout()) : defaults.timeout();
		if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
			throw badRequest("The Idempotency-Key header must be 1-255 visible ASCII characters");
		}
		String json = (payload == null || payload.isNull()) ? "{}" : payload.toString();
		return new JobRequest(owner, submitter, type, json, maxAttempts, timeout, idempotencyKey);
	}

	/** Whether {@code node} holds a number beyond a double's range, which Jackson read as an infinity. */
	private static boolean hasNumberTooLarge(JsonNode node) {
		if (node.isFloatingPointNumber()) {
			return !Double.isFinite(node.doubleValue());
		}
		return node.isContainer() && node.valueStream().anyMatch(JobRequest::hasNumberTooLarge);
	}

	/** Whether a service submitted the job for its owner. */
	boolean onBehalf() {
		return !this.owner.equals(this.submitter);
	}

	private static Duration parseTimeout(String text) {
		try {
			Duration timeout = Duration.parse(text);
			if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
				throw badRequest("\"timeout\" must be between PT1S and " + MAX_TIMEOUT);
			}
			return timeout;
		}
		catch (DateTimeParseException ex) {
			throw badRequest("\"timeout\" must be an ISO-8601 duration such as PT30S or PT10M");
		}
	}

	static ErrorResponseException badRequest(String detail) {
		return ApiProblem.INVALID_REQUEST.exception(detail);
	}

	/** A problem of the general kind of {@code status} ({@link ApiProblem#forStatus}); name the kind where there is one. */
	static ErrorResponseException problem(HttpStatus status, String detail) {
		return ApiProblem.forStatus(status).exception(detail);
	}

}
