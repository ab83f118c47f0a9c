package io.inloop.api;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Requests that many of api-service's tests make, through the real server. */
public final class ApiRequests {

	/** The smallest job there is. */
	public static final String A_JOB = "{\"type\":\"demo.steps\"}";

	private ApiRequests() {
	}

	/** Submits {@code body} with {@code token}, expects 202, and returns the accepted job's id. */
	public static String submit(WebTestClient http, String token, String body) {
		Map<?, ?> job = http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus().isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) job.get("id");
	}

}
