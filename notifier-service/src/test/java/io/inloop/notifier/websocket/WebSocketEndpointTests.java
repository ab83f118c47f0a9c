package io.inloop.notifier.websocket;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.notifier.subscriptions.Connections;
import io.inloop.schemas.JobError;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.cursorOf;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@NotifierTest
class WebSocketEndpointTests {

	private static Producer<String, JobStatusChanged> events;

	private static Producer<String, byte[]> raw;

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private Connections connections;

	@Autowired
	private StatusFeed feed;

	@BeforeAll
	static void createTopics() {
		StatusTopic.create();
		events = StatusTopic.events();
		raw = StatusTopic.raw();
	}

	@AfterAll
	static void closeProducers() {
		events.close();
		raw.close();
	}

	@BeforeEach
	void awaitFeed() {
		await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);
	}

	@Test
	void ownerReceivesEveryEventOfTheirJobsInOrderAndNoOneElseDoes() {
		String alice = unique("alice");
		String bob = unique("bob");
		try (WebSocketClient aliceClient = connectWithQueryToken(alice);
				WebSocketClient bobClient = WebSocketClient.connect(ws(""),
						Map.of("Authorization", "Bearer " + token(bob)))) {
			awaitSubscribed(alice, bob);
			List<RecordMetadata> sent = List.of(
					send(events, Topics.JOB_STATUS, alice, aSnapshot(alice, "job-1", JobState.QUEUED, 0, 0).build()),
					send(events, Topics.JOB_STATUS, alice, aSnapshot(alice, "job-1", JobState.RUNNING, 1, 0).build()),
					send(events, Topics.JOB_STATUS, alice,
							aSnapshot(alice, "job-1", JobState.SUCCEEDED, 1, 1).setResult("{\"url\":\"/files/1\"}")
								.setFinishedAt(Instant.parse("2026-11-27T10:16:00Z"))
								.build()),
					send(events, Topics.JOB_STATUS, alice,
							aSnapshot(alice, "job-2", JobState.FAILED, 1, 3)
								.setError(new JobError("handler-error", "disk full", false))
								.build()));

			await().until(() -> aliceClient.jobMessages().size() == 4);
			List<JsonNode> frames = aliceClient.jobMessages().stream().map(this.json::readTree).toList();
			assertThat(frames).extracting((frame) -> frame.get("cursor").asString())
				.containsExactlyElementsOf(sent.stream().map(StatusTopic::cursorOf).toList());
			assertThat(frames).extracting((frame) -> frame.get("type").asString()).containsOnly("job");
			assertThat(frames).extracting((frame) -> frame.get("job").get("state").asString())
				.containsExactly("QUEUED", "RUNNING", "SUCCEEDED", "FAILED");
			JsonNode succeeded = frames.get(2).get("job");
			assertThat(succeeded.get("id").asString()).isEqualTo("job-1");
			assertThat(succeeded.get("owner").asString()).isEqualTo(alice);
			assertThat(succeeded.get("type").asString()).isEqualTo("demo.steps");
			assertThat(succeeded.get("progress").get("done").asLong()).isEqualTo(2);
			assertThat(succeeded.get("progress").get("total").asLong()).isEqualTo(5);
			assertThat(succeeded.get("message").asString()).isEqualTo("step 2 of 5");
			assertThat(succeeded.get("result").get("url").asString()).isEqualTo("/files/1");
			assertThat(succeeded.get("attempt").asInt()).isEqualTo(1);
			assertThat(succeeded.get("version").asLong()).isEqualTo((1L << 32) | (1 << 1));
			assertThat(succeeded.get("finishedAt").asString()).isEqualTo("2026-11-27T10:16:00Z");
			assertThat(succeeded.has("error")).isFalse();
			JsonNode failed = frames.get(3).get("job");
			assertThat(failed.get("error").get("code").asString()).isEqualTo("handler-error");
			assertThat(failed.get("error").get("retryable").asBoolean()).isFalse();

			// Alice's frames were all handed out before this one, so any of them sent to Bob would come first.
			RecordMetadata bobs = send(events, Topics.JOB_STATUS, bob,
					aSnapshot(bob, "job-9", JobState.QUEUED, 0, 0).build());
			await().until(() -> !bobClient.jobMessages().isEmpty());
			assertThat(bobClient.jobMessages()).singleElement()
				.satisfies((frame) -> assertThat(this.json.readTree(frame).get("cursor").asString())
					.isEqualTo(cursorOf(bobs)));
		}
	}

	@Test
	void everyConnectionOfTheOwnerReceivesTheFrame() {
		String carol = unique("carol");
		try (WebSocketClient first = connectWithQueryToken(carol); WebSocketClient second = connectWithQueryToken(carol)) {
			await().until(() -> this.connections.count(carol) == 2);
			send(events, Topics.JOB_STATUS, carol, aSnapshot(carol, "job-1", JobState.RUNNING, 1, 0).build());
			await().until(() -> first.jobMessages().size() == 1 && second.jobMessages().size() == 1);
			assertThat(first.jobMessages()).isEqualTo(second.jobMessages());
		}
	}

	@Test
	void closedConnectionIsForgotten() {
		String dave = unique("dave");
		WebSocketClient client = connectWithQueryToken(dave);
		await().until(() -> this.connections.count(dave) == 1);
		client.close();
		await().until(() -> this.connections.count(dave) == 0);
	}

	@Test
	void undeserializableRecordIsSkippedAndTheNextEventDelivered() {
		String erin = unique("erin");
		long skippedBefore = this.feed.skippedRecords();
		try (WebSocketClient client = connectWithQueryToken(erin)) {
			await().until(() -> this.connections.count(erin) == 1);
			send(raw, Topics.JOB_STATUS, erin, "{\"not\":\"avro\"}".getBytes());
			RecordMetadata valid = send(events, Topics.JOB_STATUS, erin,
					aSnapshot(erin, "job-1", JobState.RUNNING, 1, 0).build());
			await().until(() -> client.jobMessages().size() == 1);
			assertThat(this.json.readTree(client.jobMessages().get(0)).get("cursor").asString())
				.isEqualTo(cursorOf(valid));
			assertThat(this.feed.skippedRecords()).isEqualTo(skippedBefore + 1);
		}
	}

	@Test
	void handshakeWithHeadersOverTheLimitIsRefusedAsAProblemNotAsNoUpgrade() throws IOException {
		String request = "GET /ws HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
				+ "Authorization: Bearer " + "x".repeat(13_700) + "\r\n\r\n";
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(answer).startsWith("HTTP/1.1 431")
				.contains("content-type: application/problem+json")
				.contains("\"type\":\"https://inloop.dev/problems/headers-too-large\"")
				.contains("server.max-http-request-header-size")
				.doesNotContain("Expected a WebSocket upgrade");
		}
	}

	@Test
	void handshakeWithAnAuthorizationHeaderThatIsNoBearerTokenIsRefused() {
		assertThat(WebSocketClient.refusedStatus(ws(""), Map.of("Authorization", "Basic YWxpY2U6c2VjcmV0"))).isEqualTo(401);
	}

	@Test
	void handshakeWithATokenInTheHeaderAndTheQueryIsRefused() {
		String token = token(unique("alice"));
		assertThat(WebSocketClient.refusedStatus(ws("?access_token=" + token), Map.of("Authorization", "Bearer " + token)))
			.isEqualTo(400);
	}

	@Test
	void handshakeWithTokenSignedWithAnotherSecretIsRefused() {
		String forged = new TokenSigner("another-secret-of-at-least-thirty-two-bytes").sign(unique("mallory"),
				Duration.ofMinutes(5), List.of());
		assertThat(WebSocketClient.refusedStatus(ws("?access_token=" + forged), Map.of())).isEqualTo(401);
		assertThat(WebSocketClient.refusedStatus(ws(""), Map.of("Authorization", "Bearer " + forged))).isEqualTo(401);
	}

	@Test
	void handshakeWithExpiredTokenIsRefused() {
		String expired = this.tokens.sign(unique("alice"), Instant.now().minusSeconds(120), List.of());
		assertThat(WebSocketClient.refusedStatus(ws("?access_token=" + expired), Map.of())).isEqualTo(401);
	}

	@Test
	void handshakeWithMalformedTokenIsRefused() {
		assertThat(WebSocketClient.refusedStatus(ws("?access_token=not-a-jwt"), Map.of())).isEqualTo(401);
	}

	private WebSocketClient connectWithQueryToken(String user) {
		return WebSocketClient.connect(ws("?access_token=" + token(user)), Map.of());
	}

	private void awaitSubscribed(String... users) {
		await().until(() -> List.of(users).stream().allMatch((user) -> this.connections.count(user) == 1));
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private URI ws(String query) {
		return URI.create("ws://localhost:" + this.port + "/ws" + query);
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
