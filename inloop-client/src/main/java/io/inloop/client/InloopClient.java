package io.inloop.client;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;

/**
 * Inloop's REST API for a host application's backend: submit a job for the caller or, with a
 * token that holds scope {@code jobs:submit-for}, for a user it names; read and cancel the
 * caller's jobs. Every call asks {@code tokens} for the bearer token when it is sent, so a supplier
 * that renews an expiring token keeps the client working; it runs on the subscribing thread and
 * should return a cached token, not fetch one. A refusal ends the {@link Mono} with an
 * {@link InloopApiException} carrying the API's problem+json.
 *
 * <pre>{@code
 * InloopClient inloop = InloopClient.create("https://inloop.example.com", serviceTokens::current);
 * Job job = inloop.submitFor("alice", "report.export", Map.of("month", "2026-11"), "export-alice-2026-11").block();
 * }</pre>
 */
public final class InloopClient {

	private static final ParameterizedTypeReference<List<Job>> JOBS = new ParameterizedTypeReference<>() {
	};

	private final WebClient http;

	private final Supplier<String> tokens;

	private InloopClient(WebClient http, Supplier<String> tokens) {
		this.http = http;
		this.tokens = tokens;
	}

	/** A client of the API at {@code baseUrl} (e.g. {@code http://localhost:8080}) with its own WebClient. */
	public static InloopClient create(String baseUrl, Supplier<String> tokens) {
		return create(WebClient.builder(), baseUrl, tokens);
	}

	/**
	 * A client built from {@code builder} (e.g. Spring Boot's {@code WebClient.Builder} bean, with
	 * its connector, filters and observations); the builder itself is left as it was.
	 */
	public static InloopClient create(WebClient.Builder builder, String baseUrl, Supplier<String> tokens) {
		// A state added by a newer API reads as UNKNOWN instead of failing the call
		JsonMapper json = JsonMapper.builder().enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE).build();
		WebClient http = builder.clone()
			.baseUrl(baseUrl)
			.codecs((codecs) -> {
				codecs.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(json));
				codecs.defaultCodecs().jacksonJsonEncoder(new JacksonJsonEncoder(json));
			})
			.build();
		return new InloopClient(http, tokens);
	}

	/** Submits a job of {@code type} with {@code payload} (a JSON object) for the caller. */
	public Mono<Job> submit(String type, Object payload, @Nullable String idempotencyKey) {
		NewJob job = NewJob.of(type, payload);
		return submit((idempotencyKey != null) ? job.withIdempotencyKey(idempotencyKey) : job);
	}

	/**
	 * Submits a job of {@code type} with {@code payload} owned by {@code owner}: the caller's token
	 * needs scope {@code jobs:submit-for} (else 403). The job is then the owner's alone: the
	 * caller cannot read or cancel it (docs/submitting-for-users.md).
	 */
	public Mono<Job> submitFor(String owner, String type, Object payload, @Nullable String idempotencyKey) {
		NewJob job = NewJob.of(type, payload).forOwner(owner);
		return submit((idempotencyKey != null) ? job.withIdempotencyKey(idempotencyKey) : job);
	}

	/** Submits {@code job}; the answer is its {@code QUEUED} snapshot, or, for a repeated idempotency key, the first job as it is now. */
	public Mono<Job> submit(NewJob job) {
		SubmitBody body = new SubmitBody(job.type(), job.payload(), job.owner(), job.maxAttempts(),
				(job.timeout() != null) ? job.timeout().toString() : null);
		return Mono.defer(() -> this.http.post()
			.uri("/api/jobs")
			.headers((headers) -> {
				headers.setBearerAuth(this.tokens.get());
				if (job.idempotencyKey() != null) {
					headers.set("Idempotency-Key", job.idempotencyKey());
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.retrieve()
			.onStatus(HttpStatusCode::isError, InloopClient::problem)
			.bodyToMono(Job.class));
	}

	/** The caller's job {@code id}; 404 if there is none or it is another user's. */
	public Mono<Job> job(String id) {
		return Mono.defer(() -> this.http.get()
			.uri("/api/jobs/{id}", id)
			.headers((headers) -> headers.setBearerAuth(this.tokens.get()))
			.retrieve()
			.onStatus(HttpStatusCode::isError, InloopClient::problem)
			.bodyToMono(Job.class));
	}

	/** The caller's most recent jobs, newest first (at most 20). */
	public Mono<List<Job>> jobs() {
		return Mono.defer(() -> this.http.get()
			.uri("/api/jobs")
			.headers((headers) -> headers.setBearerAuth(this.tokens.get()))
			.retrieve()
			.onStatus(HttpStatusCode::isError, InloopClient::problem)
			.bodyToMono(JOBS));
	}

	/** Cancels the caller's job {@code id}; 409 if it has already ended. */
	public Mono<Job> cancel(String id) {
		return Mono.defer(() -> this.http.post()
			.uri("/api/jobs/{id}/cancel", id)
			.headers((headers) -> headers.setBearerAuth(this.tokens.get()))
			.retrieve()
			.onStatus(HttpStatusCode::isError, InloopClient::problem)
			.bodyToMono(Job.class));
	}

	/** The refusal as an exception: the problem+json body, or the status alone when the body is something else. */
	private static Mono<Throwable> problem(ClientResponse response) {
		int status = response.statusCode().value();
		boolean json = response.headers().contentType()
			.filter((type) -> type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
					|| type.isCompatibleWith(MediaType.APPLICATION_JSON))
			.isPresent();
		if (!json) {
			return response.releaseBody()
				.then(Mono.just(new InloopApiException(status, null, null, "The API answered " + status, null)));
		}
		return response.bodyToMono(Problem.class)
			.map((problem) -> (Throwable) new InloopApiException(status, problem.type(), problem.title(),
					problem.detail(), problem.instance()))
			.switchIfEmpty(Mono.fromSupplier(() -> new InloopApiException(status, null, null, null, null)));
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	private record SubmitBody(String type, Object payload, @Nullable String owner, @Nullable Integer maxAttempts,
			@Nullable String timeout) {
	}

	private record Problem(@Nullable URI type, @Nullable String title, @Nullable String detail,
			@Nullable String instance) {
	}

}
