package io.inloop.notifier.websocket;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.notifier.subscriptions.Connections;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Browsers open {@code /ws} without a token and authenticate with their first message: no token in any URL. */
@NotifierTest
class WebSocketAuthFrameTests {

	private static Producer<String, JobStatusChanged> events;

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
	}

	@AfterAll
	static void closeProducer() {
		events.close();
	}

	@BeforeEach
	void awaitFeed() {
		await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);
	}

	@Test
	void aConnectionWithoutATokenIsAuthenticatedByItsAuthFrameAndThenStreamsTheUsersJobs() {
		String alice = unique("alice");
		try (WebSocketClient client = WebSocketClient.connect(ws(), Map.of())) {
			assertThat(this.connections.count(alice)).isZero();
			client.send("{\"type\":\"auth\",\"token\":\"" + token(alice) + "\"}");
			await().until(() -> this.connections.count(alice) == 1);
			await().until(() -> client.messages().contains("{\"type\":\"live\"}"));
			send(events, Topics.JOB_STATUS, alice, aSnapshot(alice, "job-1", JobState.RUNNING, 1, 0).build());
			await().until(() -> client.jobMessages().size() == 1);
			assertThat(client.jobMessages().get(0)).contains("\"owner\":\"" + alice + "\"");
			// Later messages mean nothing, a second auth frame included.
			client.send("{\"type\":\"auth\",\"token\":\"" + token(unique("bob")) + "\"}");
			send(events, Topics.JOB_STATUS, alice, aSnapshot(alice, "job-1", JobState.SUCCEEDED, 1, 1).build());
			await().until(() -> client.jobMessages().size() == 2);
			assertThat(client.closed()).isNotDone();
		}
	}

	@Test
	void anAuthFrameWithAForgedExpiredOrMissingTokenClosesTheConnectionWith4401() {
		String forged = new TokenSigner("another-secret-of-at-least-thirty-two-bytes").sign(unique("mallory"),
				Duration.ofMinutes(5), List.of());
		String expired = this.tokens.sign(unique("alice"), Instant.now().minusSeconds(120), List.of());
		for (String first : List.of("{\"type\":\"auth\",\"token\":\"" + forged + "\"}",
				"{\"type\":\"auth\",\"token\":\"" + expired + "\"}", "{\"type\":\"auth\"}", token(unique("carol")),
				"{\"type\":\"subscribe\"}", "not json")) {
			try (WebSocketClient client = WebSocketClient.connect(ws(), Map.of())) {
				client.send(first);
				assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10)).as(first).isEqualTo(4401);
				assertThat(client.messages()).as(first).isEmpty();
			}
		}
	}

	@Test
	void aConnectionThatSendsNoAuthFrameIsClosedWith4408AfterTheTimeout() {
		long began = System.nanoTime();
		try (WebSocketClient client = WebSocketClient.connect(ws(), Map.of())) {
			int open = this.connections.count();
			assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4408);
			// The timer starts with the upgrade, after the client began to connect.
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			assertThat(client.messages()).isEmpty();
			assertThat(this.connections.count()).isLessThanOrEqualTo(open);
		}
	}

	@Test
	void aHeaderTokenStillAuthenticatesBeforeTheUpgradeAndNeedsNoAuthFrame() {
		String dave = unique("dave");
		try (WebSocketClient client = WebSocketClient.connect(ws(), Map.of("Authorization", "Bearer " + token(dave)))) {
			await().until(() -> this.connections.count(dave) == 1);
			await().until(() -> client.messages().contains("{\"type\":\"live\"}"));
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> !client.closed().isDone());
		}
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private URI ws() {
		return URI.create("ws://localhost:" + this.port + "/ws");
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
