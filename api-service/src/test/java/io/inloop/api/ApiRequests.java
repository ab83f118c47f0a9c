package io.inloop.api;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

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

	/** The instance's readiness, 200 once its ledger serves, as a load balancer asks for it. */
	public static int readiness(WebTestClient http) {
		return http.get().uri("/actuator/health/readiness").exchange().returnResult(String.class).getStatus().value();
	}

	/**
	 * Waits until the instance is ready: the ledger answers lists and cancels once Kafka Streams
	 * runs, and a fresh test context's may still be starting (a list answers 503 until then).
	 */
	public static void awaitReady(WebTestClient http) {
		await().atMost(Duration.ofSeconds(30)).until(() -> readiness(http) == 200);
	}

}
