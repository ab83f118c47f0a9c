package io.inloop.api.overload;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.security.TokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With as many requests waiting for their answer as the bound (here fixed at 2), one more is refused at once with
 * {@code 503 overloaded} and {@code Retry-After}; health still answers, and once the requests under
 * way end the API serves again. The requests held here are real clients that send their headers
 * and never finish their body, the slowest kind of caller.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "inloop.api.overload.max-in-flight=2", "inloop.api.overload.min-in-flight=2" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class LoadSheddingTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	private final List<Socket> held = new ArrayList<>();

	@AfterEach
	void letGo() throws IOException {
		for (Socket socket : this.held) {
			socket.close();
		}
	}

	@Test
	void pastMaxInFlightARequestIsRefusedAtOnceWithRetryAfterAndTheApiServesAgainOnceTheyEnd(CapturedOutput output)
			throws IOException {
		ApiRequests.awaitReady(this.http);
		String token = this.tokens.sign("olga", Duration.ofMinutes(5), List.of());
		holdASubmission(token);
		holdASubmission(token);
		await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 2);

		long started = System.nanoTime();
		EntityExchangeResult<String> refused = list(token);
		long tookMillis = (System.nanoTime() - started) / 1_000_000;

		assertThat(refused.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(refused.getResponseBody()).contains("\"type\":\"" + ApiProblem.OVERLOADED.type() + "\"",
				"\"status\":503", "\"instance\":\"/api/jobs\"");
		assertThat(tookMillis).as("a refusal waits for nothing").isLessThan(1000);
		assertThat(this.meters.get("inloop.api.requests.shed").counter().count()).isEqualTo(1);
		// Health is never shed: a saturated instance is busy, not broken.
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		// A caller the API would refuse anyway is told so, not that it is busy.
		this.http.get().uri("/api/jobs").exchange().expectStatus().isUnauthorized();

		letGo();
		this.held.clear();
		await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
		assertThat(list(token).getStatus()).isEqualTo(HttpStatus.OK);
		// A client gone mid-body is no error of the API's.
		assertThat(output.getAll()).doesNotContain("Unexpected error answering");
	}

	/** A submission whose headers arrive and whose body never ends: it waits, holding its permit. */
	private void holdASubmission(String token) throws IOException {
		Socket socket = new Socket("localhost", this.port);
		this.held.add(socket);
		OutputStream out = socket.getOutputStream();
		out.write(("POST /api/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
				+ "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private EntityExchangeResult<String> list(String token) {
		return this.http.get()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private double inFlight() {
		return this.meters.get("inloop.api.requests.in-flight").gauge().value();
	}

}
