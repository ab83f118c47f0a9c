package io.inloop.api.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.inloop.api.problems.ApiProblem;
import io.inloop.api.problems.ProblemResponses;
import io.inloop.history.ReadBackRefusedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * {@code GET /admin/dead-letters}: the commands dead-lettered lately, for the dashboard, which
 * retries them with {@code POST /admin/jobs/{id}/retry} (a dead-lettered job is {@code FAILED}).
 */
@RestController
@RequestMapping("/admin/dead-letters")
@Tag(name = "admin")
class AdminDeadLettersController {

	/** How far back a list looks unless asked: a day. */
	static final Duration DEFAULT_SINCE = Duration.ofDays(1);

	private static final int DEFAULT_LIMIT = 50;

	private static final int MAX_LIMIT = 200;

	private final DeadLetterList deadLetters;

	AdminDeadLettersController(DeadLetterList deadLetters) {
		this.deadLetters = deadLetters;
	}

	@Operation(operationId = "getAdminDeadLetters", summary = "List the commands dead-lettered lately (scope admin)",
			description = "Read back from inloop.job-commands-dlt, newest first: what `inloop dlt list` prints. A "
					+ "dead-lettered job is FAILED in the ledger; POST /admin/jobs/{id}/retry runs it again.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = { @Parameter(name = "from", description = "Only those dead-lettered at or after this ISO-8601 "
					+ "instant; a day ago when absent", example = "2026-11-27T10:00:00Z"),
					@Parameter(name = "limit", description = "At most this many, 1-200, the newest",
							schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50")) })
	@ApiResponse(responseCode = "200", description = "The dead letters, newest first")
	@ProblemResponses({ ApiProblem.INVALID_REQUEST, ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN,
			ApiProblem.READ_BACK_TOO_LARGE, ApiProblem.TOO_MANY_READ_BACKS })
	@GetMapping
	Mono<DeadLetters> list(@AuthenticationPrincipal Jwt caller, @RequestParam(required = false) @Nullable String from,
			@RequestParam(required = false) @Nullable Integer limit) {
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 1 || max > MAX_LIMIT) {
			throw ApiProblem.INVALID_REQUEST.exception("\"limit\" must be between 1 and " + MAX_LIMIT);
		}
		Instant since = since(from);
		return this.deadLetters.since(caller.getSubject(), since, max)
			.onErrorMap(ReadBackRefusedException.class, (refused) -> (refused.reason() == ReadBackRefusedException.Reason.TOO_LARGE)
					? ApiProblem.READ_BACK_TOO_LARGE.exception(refused.getMessage() + "; ask for a later \"from\"")
					: ApiProblem.TOO_MANY_READ_BACKS.exception(refused.getMessage(), refused.retryAfter()))
			.map((found) -> new DeadLetters(since, found));
	}

	private static Instant since(@Nullable String from) {
		Instant since = AdminJobsController.instant("from", from);
		return (since != null) ? since : Instant.now().minus(DEFAULT_SINCE);
	}

	/**
	 * @param from the time the list starts at
	 * @param deadLetters newest first
	 */
	@Schema(name = "AdminDeadLetters", description = "Commands dead-lettered since a time, newest first")
	record DeadLetters(@Schema(description = "Dead-lettered at or after this instant") Instant from,
			@Schema(description = "Newest first") List<DeadLetterList.DeadLetter> deadLetters) {
	}

}
