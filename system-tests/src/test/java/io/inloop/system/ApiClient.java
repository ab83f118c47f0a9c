package io.inloop.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A host application calling api-service over real HTTP. */
final class ApiClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI base;

	/** How long a request may take; 10 s unless said otherwise. */
	private final Duration timeout;

	ApiClient(URI base) {
		this(base, Duration.ofSeconds(10));
	}

	ApiClient(URI base, Duration timeout) {
		this.base = base;
		this.timeout = timeout;
	}

	Response submit(@Nullable String token, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve("/api/jobs"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return send(authorized(request, token));
	}

	Response job(@Nullable String token, String id) {
		return send(authorized(HttpRequest.newBuilder(this.base.resolve("/api/jobs/" + id)).GET(), token));
	}

	Response jobs(String token, String query) {
		return send(authorized(HttpRequest.newBuilder(this.base.resolve("/api/jobs" + query)).GET(), token));
	}

	Response cancel(String token, String id) {
		return send(authorized(HttpRequest.newBuilder(this.base.resolve("/api/jobs/" + id + "/cancel"))
			.POST(HttpRequest.BodyPublishers.noBody()), token));
	}

	Response submit(String token, String body, String idempotencyKey) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve("/api/jobs"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", idempotencyKey)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		return send(authorized(request, token));
	}

	/** A token minted by the local stack's dev-token endpoint (local mode only) for {@code user}. */
	String devToken(String user) {
		Response response = send(HttpRequest.newBuilder(this.base.resolve("/api/dev/tokens"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("user", user)))));
		if (response.status() != 200) {
			throw new AssertionError("Expected a dev token but got " + response.status() + ": " + response.body());
		}
		return response.json().get("token").asString();
	}

	/** Submits a job that must be accepted and returns its id. */
	String submitAccepted(String token, String body) {
		Response response = submit(token, body);
		if (response.status() != 202) {
			throw new AssertionError("Expected 202 but got " + response.status() + ": " + response.body());
		}
		return response.json().get("id").asString();
	}

	private static HttpRequest.Builder authorized(HttpRequest.Builder request, @Nullable String token) {
		return (token != null) ? request.header("Authorization", "Bearer " + token) : request;
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.timeout(this.timeout).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(null),
					response.headers().firstValue("Content-Type").orElse(""),
					response.headers().firstValue("Retry-After").orElse(null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Response(int status, String body, @Nullable String location, String contentType,
			@Nullable String retryAfter) {

		JsonNode json() {
			return ApiClient.json.readTree(this.body);
		}

	}

}
