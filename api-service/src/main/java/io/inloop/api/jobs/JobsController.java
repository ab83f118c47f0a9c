package io.inloop.api.jobs;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.inloop.api.ledger.JobLedger;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobView;
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

	@GetMapping("/{id}")
	Mono<JobView> find(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return Mono.fromCallable(() -> this.ledger.find(caller.getSubject(), id))
			.subscribeOn(Schedulers.boundedElastic())
			.map((job) -> JobView.of(job.orElseThrow(() -> JobRequest.problem(HttpStatus.NOT_FOUND, "No job " + id))));
	}

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
