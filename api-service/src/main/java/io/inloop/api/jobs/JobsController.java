package io.inloop.api.jobs;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.inloop.api.ledger.JobLedger;
import io.inloop.api.problems.ApiProblem;
import io.inloop.api.problems.ProblemResponses;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /api/jobs}: the caller (JWT {@code sub}) submits, reads and cancels its own jobs; a
 * service with scope {@code jobs:submit-for} may submit jobs owned by a user it names, which only
 * that user then reads and cancels (docs/submitting-for-users.md).
 */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "jobs")
class JobsController {

	static final int DEFAULT_LIMIT = 20;

	static final int MAX_LIMIT = 100;

	private final JobSubmission submission;

	private final JobCancellation cancellation;

	private final JobLedger ledger;

	private final JobTypeSettings types;

	private final JobOwners owners;

	JobsController(JobSubmission submission, JobCancellation cancellation, JobLedger ledger, JobTypeSettings types,
			JobOwners owners) {
		this.submission = submission;
		this.cancellation = cancellation;
		this.ledger = ledger;
		this.types = types;
		this.owners = owners;
	}

	@Operation(operationId = "submitJob", summary = "Submit a job for the caller, or for a user it names",
			description = "Queues a job of a known type for the caller (JWT sub), who then sees its every status change "
					+ "live on the notifier and here; a service whose token has the scope jobs:submit-for may name "
					+ "another user as its owner, whose job it then is alone (403 without the scope). "
					+ "Answers once Kafka has both the job's command and its QUEUED "
					+ "snapshot. With an Idempotency-Key, a repeat of the same key by the same caller answers the job "
					+ "the first request made (Idempotent-Replayed: true) instead of making another; exactly one "
					+ "request, the one that made it, hears Idempotent-Replayed: false, even among concurrent repeats. "
					+ "A repeat that asks for another job (type, payload, maxAttempts or timeout) is refused 422 "
					+ "idempotency-key-reused.",
			parameters = @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER,
					description = "Makes submitting safe to retry: 1-255 visible ASCII characters, unique per job "
							+ "for this caller (a UUID does). The job id is derived from the caller and the key.",
					schema = @Schema(type = "string", pattern = "^[\\x21-\\x7e]{1,255}$", example = "order-7781-report")),
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
					examples = @ExampleObject(name = "steps", value = "{\"type\":\"demo.steps\",\"payload\":{\"steps\":5,\"delayMs\":1000}}"))))
	@ApiResponse(responseCode = "202", description = "Accepted: the job is QUEUED (or, replayed, as it is now)",
			headers = { @Header(name = "Location", description = "The job: /api/jobs/{id}", schema = @Schema(type = "string")),
					@Header(name = "Idempotent-Replayed", description = "true when an earlier request with the same "
							+ "Idempotency-Key made this job", schema = @Schema(type = "boolean")) })
	@ProblemResponses({ ApiProblem.INVALID_REQUEST, ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN,
			ApiProblem.BODY_TOO_LARGE, ApiProblem.UNSUPPORTED_MEDIA_TYPE, ApiProblem.IDEMPOTENCY_KEY_REUSED,
			ApiProblem.TOO_MANY_READ_BACKS, ApiProblem.SUBMISSION_FAILED, ApiProblem.LEDGER_UNAVAILABLE })
	@PostMapping
	Mono<ResponseEntity<JobView>> submit(Authentication caller, @RequestBody SubmitJobRequest body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		String owner = this.owners.ownerOf(caller, body.owner());
		JobRequest request = JobRequest.validate(owner, caller.getName(), body, idempotencyKey, this.types);
		return this.submission.submit(request)
			.map((submitted) -> ResponseEntity.status(HttpStatus.ACCEPTED)
				.location(URI.create("/api/jobs/" + submitted.job().getJobId()))
				.header("Idempotent-Replayed", Boolean.toString(submitted.replayed()))
				.body(JobView.of(submitted.job())));
	}

	@Operation(operationId = "getJob", summary = "Read one of the caller's jobs", description = "The job's latest snapshot. Another user's "
			+ "job is answered like a job that does not exist.",
			parameters = @Parameter(name = "id", description = "The job id, as in the Location of its submission"))
	@ApiResponse(responseCode = "200", description = "The job as it is now")
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.JOB_NOT_FOUND, ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping("/{id}")
	Mono<JobView> find(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.find(caller.getSubject(), id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> JobView.of(job.orElseThrow(() -> ApiProblem.JOB_NOT_FOUND.exception("No job " + id))));
	}

	@Operation(operationId = "listJobs", summary = "List the caller's jobs", description = "The caller's jobs, newest first, optionally of "
			+ "one state and one type. Finished jobs stay listed for inloop.ledger.retention (7 days).",
			parameters = { @Parameter(name = "state", description = "Only jobs in this state (any case)",
					schema = @Schema(implementation = JobState.class)),
					@Parameter(name = "type", description = "Only jobs of this type, e.g. demo.steps"),
					@Parameter(name = "limit", description = "At most this many jobs, 1-100",
							schema = @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20")) })
	@ApiResponse(responseCode = "200", description = "The jobs, newest first")
	@ProblemResponses({ ApiProblem.INVALID_REQUEST, ApiProblem.UNAUTHORIZED, ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping
	Mono<List<JobView>> list(@AuthenticationPrincipal Jwt caller, @RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable Integer limit) {
		JobState wanted = (state != null) ? parseState(state) : null;
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 1 || max > MAX_LIMIT) {
			throw JobRequest.badRequest("\"limit\" must be between 1 and " + MAX_LIMIT);
		}
		return Mono.fromCallable(() -> this.ledger.list(caller.getSubject(), wanted, type, max))
			.subscribeOn(Schedulers.boundedElastic())
			.map((jobs) -> jobs.stream().map(JobView::of).toList());
	}

	@Operation(operationId = "cancelJob", summary = "Cancel one of the caller's jobs", description = "A queued job is CANCELLED at once and "
			+ "never runs; a running one is told to stop (its handler sees the cancellation) and ends CANCELLED. "
			+ "Watch the job for the outcome.",
			parameters = @Parameter(name = "id", description = "The job id, as in the Location of its submission"))
	@ApiResponse(responseCode = "202", description = "Cancellation under way: the job as it is now (CANCELLED if it was still queued)")
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.JOB_NOT_FOUND, ApiProblem.JOB_ALREADY_ENDED,
			ApiProblem.LEDGER_UNAVAILABLE })
	@PostMapping("/{id}/cancel")
	Mono<ResponseEntity<JobView>> cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return this.cancellation.cancel(caller.getSubject(), id)
			.map((job) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(JobView.of(job)));
	}

	private static JobState parseState(String state) {
		try {
			return JobState.valueOf(state.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw JobRequest.badRequest("\"state\" must be one of " + List.of(JobState.values()));
		}
	}

}
