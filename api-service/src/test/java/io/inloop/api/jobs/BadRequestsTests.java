package io.inloop.api.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input rows of docs/reliability.md that no other test holds: each gets its status as
 * problem+json, without a stack trace, through the real server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class BadRequestsTests {

	@Autowired
	private WebTestClient http;

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Test
	void aBodyOverTheLimitIsTooLarge() {
		String payload = "x".repeat(3 * 1024 * 1024);
		assertProblem(this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.steps\",\"payload\":{\"pad\":\"" + payload + "\"}}")
			.exchange(), ApiProblem.BODY_TOO_LARGE);
	}

	@Test
	void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
		assertProblem(this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token()))
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("type=demo.steps")
			.exchange(), ApiProblem.UNSUPPORTED_MEDIA_TYPE);
	}

	@Test
	void anUnsignedTokenIsUnauthorized() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = base64.encodeToString(("{\"sub\":\"alice\",\"exp\":" + Instant.now().plusSeconds(300).getEpochSecond()
				+ "}").getBytes(StandardCharsets.UTF_8));
		assertProblem(this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(header + "." + claims + ".")).exchange(),
				ApiProblem.UNAUTHORIZED);
	}

	@Test
	void aJobIdThatIsNotOneIsNotFoundAndOneThatClimbsPathsIsABadRequest() {
		ApiRequests.awaitReady(this.http); // until the ledger serves, a read answers 503
		assertProblem(this.http.get().uri("/api/jobs/{id}", "not-a-job").headers((h) -> h.setBearerAuth(token()))
			.exchange(), ApiProblem.JOB_NOT_FOUND);
		assertProblem(this.http.get().uri("/api/jobs/{id}", "../../etc/passwd").headers((h) -> h.setBearerAuth(token()))
			.exchange(), ApiProblem.REQUEST_REJECTED);
	}

	@Test
	void aListLimitOutOfRangeIsABadRequest() {
		assertProblem(this.http.get().uri("/api/jobs?limit=-1").headers((h) -> h.setBearerAuth(token())).exchange(),
				ApiProblem.INVALID_REQUEST);
		assertProblem(this.http.get().uri("/api/jobs?limit=lots").headers((h) -> h.setBearerAuth(token())).exchange(),
				ApiProblem.INVALID_REQUEST);
	}

	@Test
	void aBodyIsReadStrictlyAndTheDetailNamesTheKeyInJsonTerms() {
		Map<String, String> bodies = new LinkedHashMap<>();
		bodies.put("{\"type\":\"demo.steps\",\"type\":\"demo.fail\"}", "The key \"type\" appears twice");
		bodies.put("{\"type\":\"demo.steps\",\"payload\":{\"steps\":1,\"steps\":2}}", "The key \"steps\" appears twice");
		bodies.put("{\"type\":\"demo.steps\",\"maxAttempts\":2.5}", "\"maxAttempts\" must be a whole number");
		bodies.put("{\"type\":\"demo.steps\",\"maxAttempts\":\"3\"}", "\"maxAttempts\" must be a whole number");
		bodies.put("{\"type\":\"demo.steps\",\"payload\":{\"size\":1e309}}", "A number in \"payload\" is too large");
		bodies.put("{\"type\": \"demo.steps\", ", "The body is not valid JSON");
		bodies.forEach((body, detail) -> assertProblem(this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange(), ApiProblem.INVALID_REQUEST, detail));
	}

	@Test
	void headerValuesThatAreNotAsciiAreBadRequestsNeverAServerError() throws IOException {
		String token = token();
		byte[] eAcute = { (byte) 0xC3, (byte) 0xA9 };
		String key = rawExchange("POST", "/api/jobs", token, "Idempotency-Key", eAcute, "application/json",
				"{\"type\":\"demo.steps\"}");
		assertThat(key).startsWith("HTTP/1.1 400").contains("application/problem+json")
			.contains("\"type\":\"" + ApiProblem.INVALID_REQUEST.type() + "\"")
			.contains("Idempotency-Key")
			.doesNotContain("Exception");
		String charset = rawExchange("POST", "/api/jobs", token, "X-Unused", "x".getBytes(StandardCharsets.US_ASCII),
				"application/json; charset=\u00e9", "{\"type\":\"demo.steps\"}");
		assertThat(charset).matches("(?s)HTTP/1.1 4(00|15) .*").contains("application/problem+json").doesNotContain("Exception");
	}

	/** One request over a socket, with {@code header} set to exactly {@code value}'s bytes; the whole answer. */
	private String rawExchange(String method, String path, String token, String header, byte[] value, String contentType,
			String body) throws IOException {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer "
					+ token + "\r\nContent-Length: " + content.length + "\r\n" + header + ": ")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(value);
			out.write(("\r\nContent-Type: ").getBytes(StandardCharsets.ISO_8859_1));
			out.write(contentType.getBytes(StandardCharsets.UTF_8));
			out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.write(content);
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void headersOverTheLimitAndARequestLineOverItAreRefusedAsProblems() {
		assertProblem(this.http.get()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token()))
			.header("X-Padding", "x".repeat(10_000))
			.exchange(), ApiProblem.HEADERS_TOO_LARGE);
		assertProblem(this.http.get()
			.uri("/api/jobs?pad={pad}", "x".repeat(5_000))
			.headers((h) -> h.setBearerAuth(token()))
			.exchange(), ApiProblem.URI_TOO_LONG);
	}

	@Test
	void aPageOfAnOriginNotAllowedIsRefusedWithAnAnswerItCanRead() {
		// The preflight passes, so that the browser sends the request and lets the page read the refusal
		this.http.options()
			.uri("/api/jobs")
			.header("Origin", "https://evil.example")
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization,content-type")
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("Access-Control-Allow-Origin", "https://evil.example")
			.expectHeader().valueEquals("Access-Control-Allow-Methods", "POST");
		WebTestClient.ResponseSpec refused = this.http.post()
			.uri("/api/jobs")
			.header("Origin", "https://evil.example")
			.headers((h) -> h.setBearerAuth(token()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.steps\"}")
			.exchange()
			.expectHeader().valueEquals("Access-Control-Allow-Origin", "https://evil.example");
		assertProblem(refused, ApiProblem.ORIGIN_NOT_ALLOWED,
				"Pages of origin https://evil.example may not call this service; its operator allows an origin with "
						+ "inloop.api.cors.allowed-origins");
	}

	private static void assertProblem(WebTestClient.ResponseSpec response, ApiProblem problem, String detail) {
		response.expectStatus().isEqualTo(problem.status())
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value((body) -> assertThat(body).as(detail)
				.contains("\"type\":\"" + problem.type() + "\"")
				.contains(detail.replace("\"", "\\\""))
				.doesNotContain("java.")
				.doesNotContain("Exception"));
	}

	private static void assertProblem(WebTestClient.ResponseSpec response, ApiProblem problem) {
		response.expectStatus().isEqualTo(problem.status())
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("\"status\":" + problem.status().value())
				.contains("\"type\":\"" + problem.type() + "\"")
				.doesNotContain("Exception")
				.doesNotContain("\tat "));
	}

	private String token() {
		return this.tokens.sign("bad-input-" + UUID.randomUUID(), Duration.ofMinutes(5), List.of());
	}

}
