package io.inloop.api.jobs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} as the IETF draft and Stripe have it: a repeat gets the job the key made,
 * a key reused for another request is refused {@code 422}, and among concurrent repeats exactly one
 * answer says it made the job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class IdempotencyTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@LocalServerPort
	private int port;

	@BeforeEach
	void ledgerIsReady() {
		ApiRequests.awaitReady(this.http);
	}

	@Test
	void aRepeatGetsTheJobAndAKeyReusedForAnotherRequestIsRefused() {
		String token = token("user-" + UUID.randomUUID());
		String key = "export-" + UUID.randomUUID();
		String made = submit(token, key, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":3,\"delayMs\":1},\"maxAttempts\":2}")
			.expectStatus().isAccepted()
			.expectHeader().valueEquals("Idempotent-Replayed", "false")
			.expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();

		// The same request, its payload's keys in another order and spaced otherwise: a repeat
		submit(token, key, "{\"maxAttempts\":2, \"payload\":{ \"delayMs\":1, \"steps\":3 }, \"type\":\"demo.steps\"}")
			.expectStatus().isAccepted()
			.expectHeader().valueEquals("Idempotent-Replayed", "true")
			.expectBody().jsonPath("$.id").isEqualTo(made);

		for (String another : List.of("{\"type\":\"demo.steps\",\"payload\":{\"steps\":4,\"delayMs\":1},\"maxAttempts\":2}",
				"{\"type\":\"demo.fail\",\"payload\":{\"steps\":3,\"delayMs\":1},\"maxAttempts\":2}",
				"{\"type\":\"demo.steps\",\"payload\":{\"steps\":3,\"delayMs\":1},\"maxAttempts\":3}",
				"{\"type\":\"demo.steps\",\"payload\":{\"steps\":3,\"delayMs\":1},\"maxAttempts\":2,\"timeout\":\"PT9S\"}")) {
			submit(token, key, another)
				.expectStatus().isEqualTo(422)
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo(ApiProblem.IDEMPOTENCY_KEY_REUSED.type().toString());
		}
	}

	@Test
	void amongConcurrentRepeatsExactlyOneAnswerSaysItMadeTheJob() {
		String token = token("user-" + UUID.randomUUID());
		String key = "report-" + UUID.randomUUID();
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/jobs"))
			.header("Authorization", "Bearer " + token)
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(ApiRequests.A_JOB))
			.build();

		List<HttpResponse<String>> answers = IntStream.range(0, 40)
			.mapToObj((i) -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
			.toList()
			.stream()
			.map(CompletableFuture::join)
			.toList();

		assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202);
		assertThat(answers).extracting((answer) -> json.readTree(answer.body()).get("id").asString()).containsOnly(
				json.readTree(answers.get(0).body()).get("id").asString());
		assertThat(answers).extracting((answer) -> answer.headers().firstValue("Idempotent-Replayed").orElse("absent"))
			.as("the answers' Idempotent-Replayed")
			.containsOnlyOnce("false")
			.containsOnly("false", "true");
	}

	private WebTestClient.ResponseSpec submit(String token, String key, String body) {
		return this.http.post()
			.uri("/api/jobs")
			.headers((h) -> {
				h.setBearerAuth(token);
				h.set("Idempotency-Key", key);
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

}
