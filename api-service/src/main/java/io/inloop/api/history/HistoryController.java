package io.inloop.api.history;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.inloop.api.ledger.JobLedger;
import io.inloop.api.problems.ApiProblem;
import io.inloop.api.problems.ProblemResponses;
import io.inloop.history.EventFilter;
import io.inloop.history.ReadBackRefusedException;
import io.inloop.schemas.JobLifecycle;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Every status event of a job, in order, as NDJSON: for its owner, and across users for SREs. */
@RestController
@Tag(name = "history")
class HistoryController {

	static final int DEFAULT_LIMIT = 1_000;

	static final int MAX_LIMIT = 10_000;

	static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

	private final StatusHistoryReader history;

	private final JobLedger ledger;

	HistoryController(StatusHistoryReader history, JobLedger ledger) {
		this.history = history;
		this.ledger = ledger;
	}

	/**
	 * The owner's view: every event of one of their jobs, read from its submission on and, once it
	 * has finished, only up to shortly after its last update: the ledger bounds the scan to the job's
	 * own lifetime, not the partition's whole retention.
	 */
	@Operation(operationId = "getJobEvents", summary = "Read one of the caller's jobs' every status event", description = "Every status change "
			+ "of the job, in order, one JSON object per line (NDJSON), read back from the status topic: the same "
			+ "events the notifier sent live. The response ends after the job's last event so far.",
			parameters = @Parameter(name = "id", description = "The job id, as in the Location of its submission"))
	@ApiResponse(responseCode = "200", description = "The events, one HistoryLine per line", content = @Content(
			mediaType = MediaType.APPLICATION_NDJSON_VALUE, schema = @Schema(implementation = HistoryLine.class)))
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.JOB_NOT_FOUND, ApiProblem.LEDGER_UNAVAILABLE,
			ApiProblem.READ_BACK_TOO_LARGE, ApiProblem.TOO_MANY_READ_BACKS })
	@GetMapping(path = "/api/jobs/{id}/events", produces = MediaType.APPLICATION_NDJSON_VALUE)
	Flux<HistoryLine> jobEvents(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		String owner = caller.getSubject();
		return Mono.fromCallable(() -> this.ledger.find(owner, id))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapMany((job) -> job
				.map((found) -> this.history.read(owner, new EventFilter(Set.of(id), Set.of(owner), Set.of(), Set.of(),
						found.getSubmittedAt().minus(CLOCK_SLACK), finishedBy(found)), MAX_LIMIT))
				.orElseGet(() -> Flux.error(ApiProblem.JOB_NOT_FOUND.exception("No job " + id))))
			.onErrorMap(ReadBackRefusedException.class, HistoryController::problem);
	}

	/** The SRE's view (scope {@code admin}): any users' events, filtered like {@code inloop replay}. */
	@Operation(operationId = "getEvents", summary = "Read any users' status events (scope admin)", description = "Status events across users, "
			+ "in order per partition, one JSON object per line (NDJSON), filtered like inloop replay. Each list "
			+ "parameter takes several values, repeated or comma-separated.",
			tags = "admin", security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = { @Parameter(name = "job", description = "Only these job ids"),
					@Parameter(name = "owner", description = "Only these users' jobs"),
					@Parameter(name = "type", description = "Only these job types"),
					@Parameter(name = "state", description = "Only events into these states (any case)"),
					@Parameter(name = "from", description = "Only events at or after this ISO-8601 instant",
							example = "2026-11-27T10:00:00Z"),
					@Parameter(name = "to", description = "Only events before this ISO-8601 instant"),
					@Parameter(name = "limit", description = "At most this many events, 1-10000",
							schema = @Schema(type = "integer", minimum = "1", maximum = "10000", defaultValue = "1000")) })
	@ApiResponse(responseCode = "200", description = "The events, one HistoryLine per line", content = @Content(
			mediaType = MediaType.APPLICATION_NDJSON_VALUE, schema = @Schema(implementation = HistoryLine.class)))
	@ProblemResponses({ ApiProblem.INVALID_REQUEST, ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN,
			ApiProblem.READ_BACK_TOO_LARGE, ApiProblem.TOO_MANY_READ_BACKS })
	@GetMapping(path = "/admin/events", produces = MediaType.APPLICATION_NDJSON_VALUE)
	Flux<HistoryLine> events(@RequestParam(required = false) @Nullable List<String> job,
			@RequestParam(required = false) @Nullable List<String> owner,
			@RequestParam(required = false) @Nullable List<String> type,
			@RequestParam(required = false) @Nullable List<String> state,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable Integer limit, @AuthenticationPrincipal Jwt caller) {
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 1 || max > MAX_LIMIT) {
			throw badRequest("\"limit\" must be between 1 and " + MAX_LIMIT);
		}
		EventFilter filter = new EventFilter(set(job), set(owner), set(type), states(state), instant("from", from),
				instant("to", to));
		return this.history.read(caller.getSubject(), filter, max)
			.onErrorMap(ReadBackRefusedException.class, HistoryController::problem);
	}

	// Events are stamped by the services' clocks and the record by the producer's: a little slack either way.
	private static @Nullable Instant finishedBy(JobStatusChanged job) {
		return JobLifecycle.isTerminal(job.getState()) ? job.getUpdatedAt().plus(CLOCK_SLACK) : null;
	}

	/**
	 * A refused read-back, before any line was written: 429 with Retry-After when the user or this
	 * instance reads back as much as it may, 422 when the range is too large to read back at all.
	 * One that takes too long is cut off mid-response (the response does not end cleanly).
	 */
	private static ErrorResponseException problem(ReadBackRefusedException refused) {
		if (refused.reason() == ReadBackRefusedException.Reason.TOO_LARGE) {
			return ApiProblem.READ_BACK_TOO_LARGE.exception(refused.getMessage()
					+ "; narrow it with from and to (/admin/events) or use inloop replay");
		}
		return ApiProblem.TOO_MANY_READ_BACKS.exception(refused.getMessage(), refused.retryAfter());
	}

	private static Set<String> set(@Nullable List<String> values) {
		return (values != null) ? values.stream()
			.flatMap((value) -> java.util.Arrays.stream(value.split(",")))
			.map(String::strip)
			.filter((value) -> !value.isEmpty())
			.collect(Collectors.toUnmodifiableSet()) : Set.of();
	}

	private static Set<JobState> states(@Nullable List<String> values) {
		try {
			return set(values).stream()
				.map((value) -> JobState.valueOf(value.toUpperCase(Locale.ROOT)))
				.collect(Collectors.toUnmodifiableSet());
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("\"state\" must be among " + List.of(JobState.values()));
		}
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw badRequest("\"" + name + "\" must be an ISO-8601 instant such as 2026-11-27T10:00:00Z");
		}
	}

	private static ErrorResponseException badRequest(String detail) {
		return ApiProblem.INVALID_REQUEST.exception(detail);
	}

}
