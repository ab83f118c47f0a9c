package io.inloop.api.problems;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;

import io.inloop.security.ProblemTypes;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Every kind of error api-service answers with, as problem+json (RFC 9457) whose {@code type} is
 * {@code https://inloop.dev/problems/<kind>} ({@link ProblemTypes}). A client switches on the type;
 * {@code detail} is for people. Kinds are never renamed: a new error gets a new kind.
 */
public enum ApiProblem {

	/** Kept first of its status: the kind of a 400 from the framework (a parameter that is not a number, unreadable JSON). */
	INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request",
			"A parameter, header or body field is missing, malformed or out of range; the detail says which and what is allowed."),

	REQUEST_REJECTED(ProblemTypes.REQUEST_REJECTED, HttpStatus.BAD_REQUEST, "Bad Request",
			"Refused before reaching any endpoint: an encoded slash, a backslash or '..' in the path, or a malformed header."),

	UNAUTHORIZED(ProblemTypes.UNAUTHORIZED, HttpStatus.UNAUTHORIZED, "Unauthorized",
			"No bearer token, or one that is not valid: bad signature, expired, lifetime too long, wrong issuer or audience, no subject."),

	FORBIDDEN(ProblemTypes.FORBIDDEN, HttpStatus.FORBIDDEN, "Forbidden",
			"The token is valid but lacks the scope the endpoint or the request needs (admin for /admin/**, jobs:submit-for to name another owner)."),

	ORIGIN_NOT_ALLOWED(ProblemTypes.ORIGIN_NOT_ALLOWED, HttpStatus.FORBIDDEN, "Origin not allowed",
			"A browser page of an origin that inloop.api.cors.allowed-origins does not list; the answer carries Access-Control-Allow-Origin so that the page can read it."),

	/** Kept before the job-specific kinds of its status: the kind of a 404 for a path no endpoint serves. */
	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found", "No endpoint serves this path."),

	JOB_NOT_FOUND("job-not-found", HttpStatus.NOT_FOUND, "Job not found",
			"The caller has no job with this id: it never existed, it belongs to another user (never revealed; under /admin/** any owner's job is found), or it ended longer ago than the retention."),

	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
			"The path exists but not for this HTTP method; the Allow header lists those it takes."),

	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
			"The Accept header asks for a media type the endpoint cannot produce."),

	JOB_ALREADY_ENDED("job-already-ended", HttpStatus.CONFLICT, "Job already ended",
			"The job has already succeeded, failed or been cancelled, so it cannot be cancelled."),

	JOB_NOT_FAILED("job-not-failed", HttpStatus.CONFLICT, "Job not failed",
			"Only a FAILED job (ended for good or dead-lettered) can be retried; this one is queued, running, retrying, stalled, succeeded or cancelled."),

	JOB_COMMAND_EXPIRED("job-command-expired", HttpStatus.CONFLICT, "Job command expired",
			"The job's command is no longer in inloop.job-commands (past the topic's retention), so the job cannot be retried; submit it again."),

	URI_TOO_LONG(ProblemTypes.URI_TOO_LONG, HttpStatus.URI_TOO_LONG, "URI too long",
			"The request line (method, path and query) is longer than server.netty.max-initial-line-length (4 KB by default)."),

	HEADERS_TOO_LARGE(ProblemTypes.HEADERS_TOO_LARGE, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Headers too large",
			"The request's headers together are larger than server.max-http-request-header-size (8 KB by default)."),

	BODY_TOO_LARGE("body-too-large", HttpStatus.CONTENT_TOO_LARGE, "Body too large",
			"The request body is larger than spring.codec.max-in-memory-size (256 KB by default)."),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
			"The body is not sent as application/json."),

	IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused",
			"This Idempotency-Key already made a job from another request (another type, payload, maxAttempts or timeout); use a new key for a new job."),

	READ_BACK_TOO_LARGE("read-back-too-large", HttpStatus.UNPROCESSABLE_CONTENT, "Read-back too large",
			"The history asked for spans more records of the status topic than one read-back may (inloop.api.history.read-backs.max-records); narrow it with from and to."),

	TOO_MANY_READ_BACKS("too-many-read-backs", HttpStatus.TOO_MANY_REQUESTS, "Too many read-backs",
			"The caller, or this instance, already reads back as much history as it may at once; try again after Retry-After seconds."),

	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
			"Something failed that should not have; the log has the trace id. Never carries a stack trace."),

	SUBMISSION_FAILED("submission-failed", HttpStatus.SERVICE_UNAVAILABLE, "Submission failed",
			"Kafka did not take the job (or an operator's retry of one) in time; nothing runs. Submit again (with the same Idempotency-Key, it is never run twice) or retry again (a job is retried once)."),

	OVERLOADED("overloaded", HttpStatus.SERVICE_UNAVAILABLE, "Overloaded",
			"This instance already has as many requests under way as it answers in time (an adaptive bound, inloop.api.overload.*); nothing was done. Try again after Retry-After seconds, with the same Idempotency-Key for a submission."),

	LEDGER_UNAVAILABLE("ledger-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Ledger unavailable",
			"The job ledger is starting, rebalancing or restoring and cannot answer; try again after Retry-After seconds.");

	/**
	 * How long a caller of a temporary kind is told to wait, unless the answer says otherwise: a
	 * ledger rebalance or restore, or a broker's leader moving, takes about that.
	 */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final URI type;

	private final HttpStatus status;

	private final String title;

	private final String description;

	ApiProblem(String kind, HttpStatus status, String title, String description) {
		this(ProblemTypes.of(kind), status, title, description);
	}

	ApiProblem(URI type, HttpStatus status, String title, String description) {
		this.type = type;
		this.status = status;
		this.title = title;
		this.description = description;
	}

	/** The stable type URI, e.g. {@code https://inloop.dev/problems/job-not-found}. */
	public URI type() {
		return this.type;
	}

	/** The last path segment of the type, e.g. {@code job-not-found}. */
	public String kind() {
		String type = this.type.toString();
		return type.substring(type.lastIndexOf('/') + 1);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	/** When a client gets this kind, for the API reference. */
	public String description() {
		return this.description;
	}

	/** A problem detail of this kind. */
	public ProblemDetail detail(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, detail);
		problem.setType(this.type);
		problem.setTitle(this.title);
		return problem;
	}

	/** An exception that the API answers as a problem of this kind. */
	public ErrorResponseException exception(String detail) {
		return exception(detail, (Throwable) null);
	}

	/**
	 * An exception that the API answers as a problem of this kind, caused by {@code cause} (logged,
	 * never shown); a kind the caller should try again later ({@link #isTemporary()}) carries
	 * {@link #RETRY_AFTER} seconds.
	 */
	public ErrorResponseException exception(String detail, @Nullable Throwable cause) {
		ErrorResponseException exception = new ErrorResponseException(this.status, detail(detail), cause);
		if (isTemporary()) {
			retryAfter(exception.getHeaders(), RETRY_AFTER);
		}
		return exception;
	}

	/** As {@link #exception(String)}, telling the caller to try again after {@code retryAfter} (at least a second). */
	public ErrorResponseException exception(String detail, Duration retryAfter) {
		ErrorResponseException exception = exception(detail, (Throwable) null);
		retryAfter(exception.getHeaders(), retryAfter);
		return exception;
	}

	/** Whether a caller should try again later: 429 and 503, whose answers carry {@code Retry-After}. */
	public boolean isTemporary() {
		return this.status == HttpStatus.TOO_MANY_REQUESTS || this.status == HttpStatus.SERVICE_UNAVAILABLE;
	}

	/** Sets {@code Retry-After} in whole seconds, at least one. */
	public static void retryAfter(HttpHeaders headers, Duration after) {
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds())));
	}

	/**
	 * The kind of an error that Spring answers, not Inloop's code (a malformed parameter, an
	 * unsupported media type, a path no endpoint serves): the first kind of its status.
	 */
	public static ApiProblem forStatus(HttpStatusCode status) {
		return Arrays.stream(values())
			.filter((problem) -> problem.status.value() == status.value())
			.findFirst()
			.orElse(INTERNAL_ERROR);
	}

}
