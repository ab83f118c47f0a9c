package io.inloop.api.jobs;

import java.net.URI;

import io.inloop.api.ledger.JobLedger;
import io.inloop.schemas.JobView;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code /api/jobs}: the caller (JWT {@code sub}) submits jobs and reads its own. */
@RestController
@RequestMapping("/api/jobs")
class JobsController {

	private final JobSubmission submission;

	private final JobLedger ledger;

	private final JobTypeSettings types;

	JobsController(JobSubmission submission, JobLedger ledger, JobTypeSettings types) {
		this.submission = submission;
		this.ledger = ledger;
		this.types = types;
	}

	@PostMapping
	Mono<ResponseEntity<JobView>> submit(@AuthenticationPrincipal Jwt caller, @RequestBody SubmitJobRequest request) {
		String type = request.type();
		if (type == null || type.isBlank()) {
			throw badRequest("The job needs a \"type\"; known types: " + this.types.names());
		}
		if (!this.types.accepts(type)) {
			throw badRequest("Unknown job type \"" + type + "\"; known types: " + this.types.names());
		}
		JsonNode payload = request.payload();
		if (payload != null && !payload.isObject() && !payload.isNull()) {
			throw badRequest("\"payload\" must be a JSON object");
		}
		String json = (payload == null || payload.isNull()) ? "{}" : payload.toString();
		return this.submission.submit(caller.getSubject(), type, json)
			.map((queued) -> ResponseEntity.status(HttpStatus.ACCEPTED)
				.location(URI.create("/api/jobs/" + queued.getJobId()))
				.body(JobView.of(queued)));
	}

	@GetMapping("/{id}")
	ResponseEntity<JobView> find(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
		return this.ledger.find(id)
			.filter((job) -> job.getOwner().equals(caller.getSubject()))
			.map((job) -> ResponseEntity.ok(JobView.of(job)))
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
					ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No job " + id), null));
	}

	private static ErrorResponseException badRequest(String detail) {
		return new ErrorResponseException(HttpStatus.BAD_REQUEST,
				ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail), null);
	}

}
