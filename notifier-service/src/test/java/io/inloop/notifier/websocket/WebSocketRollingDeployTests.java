package io.inloop.notifier.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.notifier.subscriptions.Connections;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.NewerWriter;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.cursorOf;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A writer one release ahead of this notifier, as in a rolling deploy: its clients lose no event. */
@NotifierTest
class WebSocketRollingDeployTests {

	private static Producer<String, JobStatusChanged> events;

	private static Producer<String, byte[]> raw;

	/** The newer writer's process. */
	private static SchemaCatalog writer;

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

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
		writer = StatusTopic.catalog();
	}

	@AfterAll
	static void close() {
		events.close();
		raw.close();
		writer.close();
	}

	@BeforeEach
	void awaitFeed() {
		await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);
	}

	@Test
	void eventOfANewerWriterReachesItsOwner() {
		String alice = "alice-" + UUID.randomUUID();
		try (WebSocketClient client = connect(alice)) {
			NewerWriter newer = NewerWriter.withExtraField().publishTo(writer);

			RecordMetadata sent = send(raw, Topics.JOB_STATUS, alice,
					newer.write(aSnapshot(alice, "job-newer", JobState.RUNNING, 1, 0).build()));

			await().until(() -> client.jobMessages().size() == 1);
			assertThat(this.json.readTree(client.jobMessages().get(0)).get("cursor").asString())
				.isEqualTo(cursorOf(sent));
			assertThat(this.json.readTree(client.jobMessages().get(0)).get("job").get("state").asString())
				.isEqualTo("RUNNING");
		}
	}

	@Test
	void eventWhoseSchemaIsNowhereHoldsTheNotifierOutOfServiceUntilItIsPublished() {
		String alice = "alice-" + UUID.randomUUID();
		NewerWriter unpublished = NewerWriter.withExtraField("f" + UUID.randomUUID().toString().replace("-", ""));
		try (WebSocketClient client = connect(alice)) {
			RecordMetadata newer = send(raw, Topics.JOB_STATUS, alice,
					unpublished.write(aSnapshot(alice, "job-1", JobState.RUNNING, 1, 0).build()));
			RecordMetadata after = send(events, Topics.JOB_STATUS, alice,
					aSnapshot(alice, "job-1", JobState.SUCCEEDED, 1, 1).build());
			try {
				await().until(() -> readiness() == 503);
				assertThat(this.feed.hold().record()).isEqualTo(Topics.JOB_STATUS + "-" + newer.partition() + "@"
						+ newer.offset());
				assertThat(this.feed.hold().reason()).contains(SchemaCatalog.key(unpublished.fingerprint()));
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
					.until(() -> client.jobMessages().isEmpty());
			}
			finally {
				// Also lets the other tests' events through
				unpublished.publishTo(writer);
			}

			await().atMost(Duration.ofSeconds(20)).until(() -> client.jobMessages().size() == 2);
			assertThat(client.jobMessages()).extracting((message) -> this.json.readTree(message).get("cursor").asString())
				.containsExactly(cursorOf(newer), cursorOf(after));
			await().until(() -> readiness() == 200);
		}
	}

	private WebSocketClient connect(String user) {
		WebSocketClient client = WebSocketClient.connect(URI.create("ws://localhost:" + this.port + "/ws?access_token="
				+ this.tokens.sign(user, Duration.ofMinutes(5), List.of())), Map.of());
		await().until(() -> this.connections.count(user) == 1);
		return client;
	}

	private int readiness() {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port
					+ "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
