package io.inloop.notifier.sse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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
class EventStreamTests {

	private static Producer<String, JobStatusChanged> events;

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private StatusFeed feed;

	@Autowired
	private Connections connections;

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
	void eventSourceThatReconnectsWithLastEventIdGetsEveryEventOnceInOrder() {
		String alice = unique("alice");
		List<String> sent = new ArrayList<>();
		List<String> received = new ArrayList<>();
		EventStreamClient first = open(alice, "", Map.of());
		await().until(() -> isLive(first));
		for (int sequence = 0; sequence < 3; sequence++) {
			sent.add(cursorOf(progress(alice, "job-1", sequence)));
		}
		await().until(() -> ids(first).size() == 3);
		received.addAll(ids(first));
		first.close();
		await().until(() -> this.connections.count(alice) == 0);
		for (int sequence = 3; sequence < 6; sequence++) {
			sent.add(cursorOf(progress(alice, "job-1", sequence)));
		}
		EventStreamClient second = open(alice, "", Map.of("Last-Event-ID", received.get(received.size() - 1)));
		await().until(() -> isLive(second));
		sent.add(cursorOf(progress(alice, "job-1", 6)));
		await().until(() -> ids(second).size() == 4);
		received.addAll(ids(second));
		second.close();
		assertThat(received).containsExactlyElementsOf(sent);
		EventStreamClient.Event job = second.events()
			.stream()
			.filter((event) -> event.type().equals("job"))
			.findFirst()
			.orElseThrow();
		assertThat(this.json.readTree(job.data()).get("cursor").asString()).as("id = cursor").isEqualTo(job.id());
	}

	@Test
	void sinceQueryParameterResumesToo() {
		String carol = unique("carol");
		RecordMetadata first = progress(carol, "job-1", 0);
		RecordMetadata second = progress(carol, "job-1", 1);
		EventStreamClient client = open(carol, "&since=" + cursorOf(first), Map.of());
		await().until(() -> isLive(client));
		assertThat(ids(client)).containsExactly(cursorOf(second));
		client.close();
	}

	@Test
	void bobNeverGetsAlicesEvents() {
		String alice = unique("alice");
		String bob = unique("bob");
		RecordMetadata hers = progress(alice, "job-1", 0);
		EventStreamClient client = open(bob, "", Map.of("Last-Event-ID", cursorOf(hers)));
		await().until(() -> isLive(client));
		progress(alice, "job-1", 1);
		RecordMetadata his = progress(bob, "job-2", 0);
		await().until(() -> ids(client).contains(cursorOf(his)));
		assertThat(ids(client)).containsExactly(cursorOf(his));
		client.close();
	}

	@Test
	void streamWithoutTokenIsRefused() {
		assertThat(EventStreamClient.open(events(""), Map.of()).response().statusCode()).isEqualTo(401);
	}

	@Test
	void browserFromAnOriginNotAllowedIsRefusedWithAnAnswerThePageCanRead() throws Exception {
		String token = this.tokens.sign(unique("dave"), Duration.ofMinutes(5), List.of());
		HttpClient http = HttpClient.newHttpClient();
		// The browser's preflight passes, so that it sends the request and lets the page read the refusal
		HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(events(""))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "https://evil.example")
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://evil.example");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization");

		HttpResponse<String> refused = http.send(HttpRequest.newBuilder(events(""))
			.header("Origin", "https://evil.example")
			.header("Authorization", "Bearer " + token)
			.header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://evil.example");
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JsonMapper.builder().build().readTree(refused.body());
		assertThat(problem.get("type").asString()).isEqualTo("https://inloop.dev/problems/origin-not-allowed");
		assertThat(problem.get("detail").asString()).contains("https://evil.example")
			.contains("inloop.notifier.connections.allowed-origins");

		// An origin allowed gets its stream
		open(unique("dave"), "", Map.of("Origin", "http://localhost:8090")).close();
	}

	private EventStreamClient open(String user, String query, Map<String, String> headers) {
		String token = this.tokens.sign(user, Duration.ofMinutes(5), List.of());
		EventStreamClient.Opened opened = EventStreamClient.open(events("?access_token=" + token + query), headers);
		assertThat(opened.response().statusCode()).isEqualTo(200);
		assertThat(opened.response().headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		return opened.client();
	}

	private static boolean isLive(EventStreamClient client) {
		return client.events().stream().anyMatch((event) -> event.type().equals("live"));
	}

	private static List<String> ids(EventStreamClient client) {
		return client.events()
			.stream()
			.filter((event) -> event.type().equals("job"))
			.map(EventStreamClient.Event::id)
			.toList();
	}

	private RecordMetadata progress(String owner, String job, int sequence) {
		return send(events, Topics.JOB_STATUS, owner, aSnapshot(owner, job, JobState.RUNNING, 1, sequence).build());
	}

	private URI events(String query) {
		return URI.create("http://localhost:" + this.port + "/events" + query);
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
