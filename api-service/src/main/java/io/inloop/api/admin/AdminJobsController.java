package io.inloop.api.admin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import io.inloop.api.jobs.JobCancellation;
import io.inloop.api.ledger.JobChanges;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.ledger.JobQuery;
import io.inloop.history.ReadBackRefusedException;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobView;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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

	AdminJobsController(JobLedger ledger, JobChanges changes, JobCancellation cancellation, JobRetry retry) {
		this.ledger = ledger;
		this.changes = changes;
		this.cancellation = cancellation;
		this.retry = retry;
	}

	/** A page of jobs across owners, newest submission first; {@code cursor} is the {@code next} of the page before. */
	@GetMapping
	Mono<JobsPage> list(@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String type, @RequestParam(required = false) @Nullable String owner,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 1 || max > MAX_LIMIT) {
			throw problem(HttpStatus.BAD_REQUEST, "\"limit\" must be between 1 and " + MAX_LIMIT);
		}
		JobQuery query = new JobQuery(state(state), blankToNull(type), blankToNull(owner), instant("from", from),
				instant("to", to), max, blankToNull(cursor));
		return Mono.fromCallable(() -> this.ledger.listAcrossOwners(query))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(IllegalArgumentException.class, (ex) -> problem(HttpStatus.BAD_REQUEST, ex.getMessage()))
			.map((page) -> new JobsPage(page.jobs().stream().map(JobView::of).toList(), page.next()));
	}

	@GetMapping("/{id}")
	Mono<JobView> find(@PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.findAnyOwner(id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> JobView.of(job.orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "No job " + id))));
	}

	/**
	 * Every change the ledger accepts from now on, across owners, as Server-Sent Events: {@code live}
	 * once subscribed, then a {@code job} event per change (a {@link JobView}), and a comment every
	 * {@link #KEEP_ALIVE} so proxies keep the stream open.
	 */
	@GetMapping(path = "/changes", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<JobView>> changes() {
		Flux<ServerSentEvent<JobView>> jobs = this.changes.live()
			.onBackpressureBuffer(LIVE_BUFFER, (dropped) -> {
			}, BufferOverflowStrategy.DROP_OLDEST)
			// Off the ledger's stream thread before anything is serialised
			.publishOn(Schedulers.parallel())
			.map((job) -> ServerSentEvent.builder(JobView.of(job)).event("job").build());
		Flux<ServerSentEvent<JobView>> keepAlive = Flux.interval(KEEP_ALIVE)
			.map((tick) -> ServerSentEvent.<JobView>builder().comment("keep-alive").build());
		// Subscribed to the changes first, so nothing accepted after "live" is missed
		return Flux.merge(jobs, keepAlive, Mono.just(ServerSentEvent.<JobView>builder().event("live").build()));
	}

	@PostMapping("/{id}/cancel")
	Mono<ResponseEntity<JobView>> cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.findAnyOwner(id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> job.orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "No job " + id)))
			.flatMap((job) -> this.cancellation.cancel(job.getOwner(), id))
			.doOnNext((job) -> logger.info("{} cancelled job {} of {}", caller.getSubject(), id, job.getOwner()))
			.map((job) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(JobView.of(job)));
	}

	/** Runs a FAILED job again for its owner as a new job ({@code resubmitOf} = this one), once. */
	@PostMapping("/{id}/retry")
	Mono<ResponseEntity<JobView>> retry(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return this.retry.retry(caller.getSubject(), id)
			.onErrorMap(ReadBackRefusedException.class, (refused) -> {
				ErrorResponseException busy = problem(HttpStatus.TOO_MANY_REQUESTS, refused.getMessage());
				busy.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, refused.retryAfter().toSeconds())));
				return busy;
			})
			.map((retried) -> ResponseEntity.status(HttpStatus.ACCEPTED)
				.location(URI.create("/admin/jobs/" + retried.job().getJobId()))
				.header("Idempotent-Replayed", Boolean.toString(retried.replayed()))
				.body(JobView.of(retried.job())));
	}

	static ErrorResponseException problem(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	private static @Nullable JobState state(@Nullable String state) {
		if (state == null || state.isBlank()) {
			return null;
		}
		try {
			return JobState.valueOf(state.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw problem(HttpStatus.BAD_REQUEST, "\"state\" must be one of " + List.of(JobState.values()));
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw problem(HttpStatus.BAD_REQUEST,
					"\"" + name + "\" must be an ISO-8601 instant such as 2026-11-27T10:00:00Z");
		}
	}

	/**
	 * @param jobs newest submission first
	 * @param next the cursor of the next page, or null when there is none; a page may be short (even
	 * empty) and still have a next one, when its filters skipped many jobs
	 */
	record JobsPage(List<JobView> jobs, @Nullable String next) {
	}

}
