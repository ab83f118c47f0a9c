package io.inloop.api.admin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.inloop.api.commands.SubmittedCommands;
import io.inloop.api.jobs.JobCancellation;
import io.inloop.api.ledger.JobChanges;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.ledger.JobQuery;
import io.inloop.api.ledger.LedgerPeers;
import io.inloop.api.ledger.QueueStats;
import io.inloop.api.problems.ApiProblem;
import io.inloop.api.problems.ProblemResponses;
import io.inloop.history.ReadBackRefusedException;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobView;
import io.inloop.schemas.SubmitJob;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /admin/jobs} (scope {@code admin}, checked by the security chain): every owner's jobs,
 * filtered and paged, live changes, and cancel and retry of any job. A job's history is
 * {@code /admin/events?job=...} ({@code HistoryController}).
 */
@RestController
@RequestMapping("/admin/jobs")
@Tag(name = "admin")
class AdminJobsController {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 200;

	/** Changes a slow dashboard may fall behind by; older ones are dropped for it (the list still has them). */
	static final int LIVE_BUFFER = 1_000;

	static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

	private static final Logger logger = LoggerFactory.getLogger(AdminJobsController.class);

	private final JobLedger ledger;

	private final JobChanges changes;

	private final JobCancellation cancellation;

	private final JobRetry retry;

	private final EveryInstance everyInstance;

	private final SubmittedCommands commands;

	AdminJobsController(JobLedger ledger, JobChanges changes, JobCancellation cancellation, JobRetry retry,
			EveryInstance everyInstance, SubmittedCommands commands) {
		this.everyInstance = everyInstance;
		this.commands = commands;
		this.ledger = ledger;
		this.changes = changes;
		this.cancellation = cancellation;
		this.retry = retry;
	}

	/**
	 * A page of jobs across owners, newest submission first; {@code cursor} is the {@code next} of the
	 * page before. One owner's jobs are in that owner's partition, answered by the instance that
	 * holds it; the others are in every partition, so every instance is asked ({@link EveryInstance}),
	 * unless another instance asked this one.
	 */
	@Operation(operationId = "listAdminJobs", summary = "List every owner's jobs (scope admin)",
			description = "Jobs across owners from the ledger, newest submission first, filtered by state, type, owner "
					+ "and submission time, a page at a time. A page may be short, even empty, and still have a next "
					+ "cursor, when its filters skipped many jobs (docs/admin.md, What a page costs).",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = { @Parameter(name = "state", description = "Only jobs in this state (any case)",
					schema = @Schema(implementation = JobState.class)),
					@Parameter(name = "type", description = "Only jobs of this type, e.g. demo.steps"),
					@Parameter(name = "owner", description = "Only this user's jobs (a JWT sub)"),
					@Parameter(name = "from", description = "Only jobs submitted at or after this ISO-8601 instant",
							example = "2026-11-27T10:00:00Z"),
					@Parameter(name = "to", description = "Only jobs submitted at or before this ISO-8601 instant"),
					@Parameter(name = "limit", description = "At most this many jobs, 1-200",
							schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50")),
					@Parameter(name = "cursor", description = "The next of the page before, asked with the same filters") })
	@ApiResponse(responseCode = "200", description = "A page of jobs, newest submission first")
	@ProblemResponses({ ApiProblem.INVALID_REQUEST, ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN,
			ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping
	Mono<JobsPage> list(@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String type, @RequestParam(required = false) @Nullable String owner,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor, ServerWebExchange exchange) {
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 1 || max > MAX_LIMIT) {
			throw ApiProblem.INVALID_REQUEST.exception("\"limit\" must be between 1 and " + MAX_LIMIT);
		}
		JobQuery query = new JobQuery(state(state), blankToNull(type), blankToNull(owner), instant("from", from),
				instant("to", to), max, blankToNull(cursor));
		Mono<JobsPage> here = Mono.fromCallable(() -> this.ledger.listAcrossOwners(query))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(IllegalArgumentException.class, (ex) -> ApiProblem.INVALID_REQUEST.exception(ex.getMessage()))
			.map((page) -> new JobsPage(page.jobs().stream().map(JobView::of).toList(), page.next()));
		if (query.owner() != null || LedgerPeers.isForwarded(exchange.getRequest())) {
			return here;
		}
		return this.everyInstance.page(query, here, exchange);
	}

	@Operation(operationId = "getAdminJob", summary = "Read any owner's job (scope admin)",
			description = "The job's latest snapshot, whoever owns it. Its every status event is GET /admin/events?job={id}.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = @Parameter(name = "id", description = "The job id"))
	@ApiResponse(responseCode = "200", description = "The job as it is now")
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN, ApiProblem.JOB_NOT_FOUND,
			ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping("/{id}")
	Mono<JobView> find(@PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.findAnyOwner(id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> JobView.of(job.orElseThrow(() -> notFound(id))));
	}

	/**
	 * What the job was asked to do: its command, read back from {@code inloop.job-commands} around its
	 * submission (a read-back counted for the operator, as a retry's).
	 */
	@Operation(operationId = "getAdminJobCommand", summary = "Read any owner's job's command: its payload (scope admin)",
			description = "The job's type, payload, attempts and timeout as it was submitted, read back from "
					+ "inloop.job-commands (the ledger keeps snapshots, not payloads): 409 job-command-expired once "
					+ "the topic's retention dropped it.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = @Parameter(name = "id", description = "The job id"))
	@ApiResponse(responseCode = "200", description = "The job's command")
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN, ApiProblem.JOB_NOT_FOUND,
			ApiProblem.JOB_COMMAND_EXPIRED, ApiProblem.READ_BACK_TOO_LARGE, ApiProblem.TOO_MANY_READ_BACKS,
			ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping("/{id}/command")
	Mono<JobCommand> command(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.findAnyOwner(id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> job.orElseThrow(() -> notFound(id)))
			.flatMap((job) -> this.commands.of(caller.getSubject(), job)
				.switchIfEmpty(Mono.error(() -> ApiProblem.JOB_COMMAND_EXPIRED
					.exception("The command of job " + id + " is no longer in inloop.job-commands"))))
			.onErrorMap(ReadBackRefusedException.class, AdminJobsController::refused)
			.map(JobCommand::of);
	}

	/**
	 * The queue's health across owners: this instance's figures, and every other instance's
	 * (asked with the operator's own request) unless another instance asked.
	 */
	@Operation(operationId = "getAdminJobStats", summary = "A queue's health across owners (scope admin)",
			description = "Jobs per state and per type that the ledger holds, how many wait for a worker and how long "
					+ "the longest-waiting one has (the figure that says users are waiting), and what ended in each of "
					+ "the last 60 minutes, with the failure rate. Counted as the ledger applies each snapshot, not "
					+ "scanned: cheap to ask every few seconds.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"))
	@ApiResponse(responseCode = "200", description = "The figures, every instance's added up")
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN, ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping("/stats")
	Mono<QueueStats> stats(ServerWebExchange exchange) {
		Instant at = Instant.now();
		Mono<QueueStats.Builder> here = Mono.fromCallable(this.ledger::statsHere).subscribeOn(Schedulers.boundedElastic());
		if (LedgerPeers.isForwarded(exchange.getRequest())) {
			return here.map((figures) -> figures.build(at));
		}
		return here.flatMap((figures) -> this.everyInstance.stats(figures, exchange)).map((figures) -> figures.build(at));
	}

	/**
	 * Every change the ledger accepts from now on, across owners, as Server-Sent Events: {@code live}
	 * once subscribed, then a {@code job} event per change (a {@link JobView}), and a comment every
	 * {@link #KEEP_ALIVE} so proxies keep the stream open. Each instance has the changes of the
	 * partitions it holds: unless another instance asked, every instance's are followed
	 * ({@link EveryInstance}).
	 */
	@Operation(operationId = "getAdminJobChanges", summary = "Follow every owner's job changes live (scope admin)",
			description = "Server-Sent Events that last: `event: live` once the stream is subscribed (nothing "
					+ "accepted after it is missed), then `event: job` whose data is a JobView for every change the "
					+ "ledger accepts, from every owner, and a `:keep-alive` comment every 15 s. A client that falls "
					+ "more than 1000 changes behind loses the oldest of them; the list still has the jobs. The "
					+ "stream ends when an api-service instance joins or leaves the ledger, or stops answering: "
					+ "connect again and read the list again.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"))
	@ApiResponse(responseCode = "200", description = "The stream: live, then a job event per change", content = @Content(
			mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = JobView.class)))
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN, ApiProblem.LEDGER_UNAVAILABLE })
	@GetMapping(path = "/changes", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<JobView>> changes(ServerWebExchange exchange) {
		Flux<ServerSentEvent<JobView>> jobs = this.changes.live()
			.onBackpressureBuffer(LIVE_BUFFER, (dropped) -> {
			}, BufferOverflowStrategy.DROP_OLDEST)
			// Off the ledger's stream thread before anything is serialised
			.publishOn(Schedulers.parallel())
			.map((job) -> ServerSentEvent.builder(JobView.of(job)).event("job").build());
		Flux<ServerSentEvent<JobView>> keepAlive = Flux.interval(KEEP_ALIVE)
			.map((tick) -> ServerSentEvent.<JobView>builder().comment("keep-alive").build());
		if (!LedgerPeers.isForwarded(exchange.getRequest())) {
			return this.everyInstance.changes(jobs, keepAlive, exchange);
		}
		// Subscribed to the changes first, so nothing accepted after "live" is missed
		return Flux.merge(jobs, keepAlive, Mono.just(ServerSentEvent.<JobView>builder().event("live").build()));
	}

	@Operation(operationId = "cancelAdminJob", summary = "Cancel any owner's job (scope admin)",
			description = "As the owner's own cancel: a queued job is CANCELLED at once and never runs; a running one "
					+ "is told to stop and ends CANCELLED. The owner sees it like any other change; the operator's sub "
					+ "is logged.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = @Parameter(name = "id", description = "The job id"))
	@ApiResponse(responseCode = "202", description = "Cancellation under way: the job as it is now (CANCELLED if it was still queued)")
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN, ApiProblem.JOB_NOT_FOUND,
			ApiProblem.JOB_ALREADY_ENDED, ApiProblem.LEDGER_UNAVAILABLE })
	@PostMapping("/{id}/cancel")
	Mono<ResponseEntity<JobView>> cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.findAnyOwner(id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> job.orElseThrow(() -> notFound(id)))
			.flatMap((job) -> this.cancellation.cancel(job.getOwner(), id))
			.doOnNext((job) -> logger.info("{} cancelled job {} of {}", caller.getSubject(), id, job.getOwner()))
			.map((job) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(JobView.of(job)));
	}

	/** Runs a FAILED job again for its owner as a new job ({@code resubmitOf} = this one), once. */
	@Operation(operationId = "retryAdminJob", summary = "Run a FAILED job again for its owner (scope admin)",
			description = "Runs the job's command again as a new job of the same owner (new id, attempt 1, resubmitOf "
					+ "this job), announced QUEUED before its command is sent, as inloop dlt resubmit does; the old job "
					+ "keeps its FAILED. Only a FAILED job, whether it ended for good or was dead-lettered. A job is "
					+ "retried once: a second retry answers the same new job (Idempotent-Replayed: true). The command "
					+ "is read back from inloop.job-commands, a read-back counted like any other.",
			security = @SecurityRequirement(name = "bearer", scopes = "admin"),
			parameters = @Parameter(name = "id", description = "The id of the FAILED job"))
	@ApiResponse(responseCode = "202", description = "Accepted: the new job, QUEUED (or, replayed, as it is now)",
			headers = { @Header(name = "Location", description = "The new job: /admin/jobs/{id}", schema = @Schema(type = "string")),
					@Header(name = "Idempotent-Replayed", description = "true when an earlier retry of this job made "
							+ "the new job", schema = @Schema(type = "boolean")) })
	@ProblemResponses({ ApiProblem.UNAUTHORIZED, ApiProblem.FORBIDDEN, ApiProblem.JOB_NOT_FOUND,
			ApiProblem.JOB_NOT_FAILED, ApiProblem.JOB_COMMAND_EXPIRED, ApiProblem.READ_BACK_TOO_LARGE,
			ApiProblem.TOO_MANY_READ_BACKS, ApiProblem.SUBMISSION_FAILED, ApiProblem.LEDGER_UNAVAILABLE })
	@PostMapping("/{id}/retry")
	Mono<ResponseEntity<JobView>> retry(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return this.retry.retry(caller.getSubject(), id)
			.onErrorMap(ReadBackRefusedException.class, AdminJobsController::refused)
			.map((retried) -> ResponseEntity.status(HttpStatus.ACCEPTED)
				.location(URI.create("/admin/jobs/" + retried.job().getJobId()))
				.header("Idempotent-Replayed", Boolean.toString(retried.replayed()))
				.body(JobView.of(retried.job())));
	}

	static ErrorResponseException notFound(String id) {
		return ApiProblem.JOB_NOT_FOUND.exception("No job " + id);
	}

	/**
	 * A refused read-back of a retry's command: 429 with Retry-After when the operator or this
	 * instance reads back as much as it may, 422 when the range is too large to read back at all.
	 */
	private static ErrorResponseException refused(ReadBackRefusedException refused) {
		if (refused.reason() == ReadBackRefusedException.Reason.TOO_LARGE) {
			return ApiProblem.READ_BACK_TOO_LARGE.exception(refused.getMessage());
		}
		return ApiProblem.TOO_MANY_READ_BACKS.exception(refused.getMessage(), refused.retryAfter());
	}

	private static @Nullable JobState state(@Nullable String state) {
		if (state == null || state.isBlank()) {
			return null;
		}
		try {
			return JobState.valueOf(state.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw ApiProblem.INVALID_REQUEST.exception("\"state\" must be one of " + List.of(JobState.values()));
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/** The latest instant a filter can name: year 9999, far inside the ledger's milliseconds. */
	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

	/** {@code value} as an instant within 1970..9999, null when blank; a 400 names the parameter otherwise. */
	static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			Instant instant = Instant.parse(value.strip());
			// The ledger orders jobs by milliseconds since 1970 (a long): far past means "from the first", far future "to the last"
			return instant.isBefore(Instant.EPOCH) ? Instant.EPOCH : instant.isAfter(LATEST) ? LATEST : instant;
		}
		catch (DateTimeParseException ex) {
			throw ApiProblem.INVALID_REQUEST
				.exception("\"" + name + "\" must be an ISO-8601 instant such as 2026-11-27T10:00:00Z");
		}
	}

	/**
	 * A job's command as it was submitted.
	 * @param jobId the job
	 * @param type its type
	 * @param payload its payload, a JSON object
	 * @param maxAttempts attempts it may take
	 * @param timeoutMillis the time an attempt may take; null: the type's default
	 * @param submittedBy the service that submitted it for its owner; null: the owner did
	 */
	@Schema(name = "AdminJobCommand", description = "What a job was asked to do, as it was submitted")
	record JobCommand(@Schema(description = "The job id") String jobId,
			@Schema(description = "The job's type, e.g. demo.steps") String type,
			@Schema(description = "The handler's input, a JSON object", types = { "object" }) @JsonRawValue String payload,
			@Schema(description = "Attempts the job may take") int maxAttempts,
			@Schema(description = "Milliseconds an attempt may take; null: the type's default",
					types = { "integer", "null" }) @Nullable Long timeoutMillis,
			@Schema(description = "The service that submitted the job for its owner (scope jobs:submit-for); null: the "
					+ "owner did", types = { "string", "null" }) @Nullable String submittedBy) {

		static JobCommand of(SubmitJob command) {
			return new JobCommand(command.getJobId(), command.getType(), command.getPayload(), command.getMaxAttempts(),
					command.getTimeoutMillis(), command.getSubmittedBy());
		}

	}

	/**
	 * @param jobs newest submission first
	 * @param next the cursor of the next page, or null when there is none; a page may be short (even
	 * empty) and still have a next one, when its filters skipped many jobs
	 */
	@Schema(name = "AdminJobsPage", description = "A page of jobs across owners")
	record JobsPage(@Schema(description = "The jobs, newest submission first") List<JobView> jobs,
			@Schema(description = "The cursor of the next page, or null when there is none; a page may be short "
					+ "(even empty) and still have a next one, when its filters skipped many jobs",
					types = { "string", "null" }) @Nullable String next) {
	}

}
