package io.inloop.notifier.websocket;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the access log on and every logger of the request path at DEBUG, no log line of the
 * notifier names a token, whichever way a client sends it: header, {@code ?access_token=}, auth frame.
 */
@NotifierTest
@ExtendWith(OutputCaptureExtension.class)
class TokensInLogsTests {

	/** Everything a request passes through; the notifier's tests run with the access log on ({@code AccessLogOn}). */
	private static final List<String> DEBUG_LOGGERS = List.of("org.springframework.web", "org.springframework.security",
			"reactor.netty.http.server", "io.inloop.notifier.websocket", "io.inloop.notifier.sse", "io.inloop.security");

	private static final LoggingSystem logging = LoggingSystem.get(TokensInLogsTests.class.getClassLoader());

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@BeforeAll
	static void createTopics() {
		StatusTopic.create();
	}

	/** Once the context has started: starting would set the levels again. */
	@BeforeEach
	void debugEverythingOnTheWay() {
		DEBUG_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, LogLevel.DEBUG));
	}

	@AfterEach
	void quietAgain() {
		DEBUG_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, null));
	}

	@Test
	void noLogLinePrintsATokenHoweverTheClientSendsIt(CapturedOutput output) throws Exception {
		String valid = this.tokens.sign(unique("alice"), Duration.ofMinutes(5), List.of());
		String expired = this.tokens.sign(unique("alice"), Instant.now().minusSeconds(120), List.of());
		String forged = new TokenSigner("another-secret-of-at-least-thirty-two-bytes").sign(unique("mallory"),
				Duration.ofMinutes(5), List.of());
		String garbage = "not-a-jwt-" + UUID.randomUUID();
		List<String> secrets = List.of(valid, expired, forged, garbage);

		assertThat(events("?since=&access_token=" + valid, Map.of())).isEqualTo(200);
		assertThat(events("?access_token=" + expired, Map.of())).isEqualTo(401);
		assertThat(events("?access_token=" + forged, Map.of())).isEqualTo(401);
		assertThat(events("?access_token=" + garbage, Map.of())).isEqualTo(401);
		assertThat(events("?access_token=" + valid, Map.of("Authorization", "Bearer " + valid))).isEqualTo(400);
		assertThat(events("", Map.of("Authorization", "Bearer " + garbage))).isEqualTo(401);
		try (WebSocketClient client = WebSocketClient.connect(ws("?access_token=" + valid), Map.of())) {
			await().until(() -> client.messages().contains("{\"type\":\"live\"}"));
		}
		assertThat(WebSocketClient.refusedStatus(ws("?access_token=" + forged), Map.of())).isEqualTo(401);
		for (String token : secrets) {
			try (WebSocketClient client = WebSocketClient.connect(ws(""), Map.of())) {
				client.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
				if (token.equals(valid)) {
					await().until(() -> client.messages().contains("{\"type\":\"live\"}"));
				}
				else {
					assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4401);
				}
			}
		}

		// The four refused /events requests have their access-log lines by now (written as a response ends).
		await().until(() -> output.getAll().split("\"GET /events", -1).length - 1 >= 4);
		for (String token : secrets) {
			assertThat(output.getAll()).doesNotContain(token).doesNotContain(signatureOf(token));
		}
		// The access log and WebFlux's debug log did log these requests, with their URIs, minus the tokens:
		assertThat(output.getAll()).contains("GET /events HTTP/1.1\" 401").contains("HTTP GET \"/events?since=\"");
	}

	private int events(String query, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/events" + query))
			.header("Accept", "text/event-stream");
		headers.forEach(request::header);
		HttpResponse<InputStream> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		response.body().close();
		return response.statusCode();
	}

	private URI ws(String query) {
		return URI.create("ws://localhost:" + this.port + "/ws" + query);
	}

	private static String signatureOf(String token) {
		return token.contains(".") ? token.substring(token.lastIndexOf('.') + 1) : token;
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
