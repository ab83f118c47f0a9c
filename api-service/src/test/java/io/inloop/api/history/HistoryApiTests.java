package io.inloop.api.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.api.ApiRequests;
import io.inloop.schemas.JobEvents;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class HistoryApiTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	@BeforeEach
	void ledgerIsReady() {
		ApiRequests.awaitReady(this.http);
	}

	@Test
	void ownerGetsEveryEventOfTheirJobInOrderAndNobodyElseGetsAny() throws Exception {
		String owner = "history-" + UUID.randomUUID();
		String id = submit(owner);
		await().atMost(Duration.ofSeconds(10)).until(() -> lines(owner, "/api/jobs/" + id + "/events"),
				(lines) -> lines.size() == 1);
		publish(snapshot(owner, id, JobState.RUNNING, 1, 0));
		publish(snapshot(owner, id, JobState.SUCCEEDED, 1, 1));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines(owner, "/api/jobs/" + id + "/events"))
			.extracting((line) -> line.get("job").get("state").asString())
			.containsExactly("QUEUED", "RUNNING", "SUCCEEDED"));
		assertThat(lines(owner, "/api/jobs/" + id + "/events")).allSatisfy((line) -> {
			assertThat(line.get("type").asString()).isEqualTo("job");
			assertThat(line.get("cursor").asString()).matches("\\d+-\\d+");
			assertThat(line.get("job").get("id").asString()).isEqualTo(id);
		});
		this.http.get()
			.uri("/api/jobs/{id}/events", id)
			.headers((h) -> h.setBearerAuth(token("intruder-" + UUID.randomUUID())))
			.exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void adminEventsNeedTheAdminScopeAndFilterByOwnerStateAndTime() throws Exception {
		String owner = "audited-" + UUID.randomUUID();
		Instant before = Instant.now();
		String id = submit(owner);
		publish(snapshot(owner, id, JobState.RUNNING, 1, 0));
		publish(snapshot(owner, id, JobState.FAILED, 1, 1));

		this.http.get().uri("/admin/events?owner=" + owner).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isForbidden();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(adminLines("/admin/events?owner=" + owner))
			.hasSize(3));
		assertThat(adminLines("/admin/events?owner=" + owner + "&state=failed"))
			.extracting((line) -> line.get("job").get("state").asString())
			.containsExactly("FAILED");
		assertThat(adminLines("/admin/events?owner=" + owner + "&to=" + before.minusSeconds(60))).isEmpty();
		assertThat(adminLines("/admin/events?owner=" + owner + "&from=" + before.minusSeconds(1) + "&limit=2")).hasSize(2);
		this.http.get()
			.uri("/admin/events?from=yesterday")
			.headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private List<JsonNode> lines(String user, String path) {
		return parse(this.http.get().uri(path).headers((h) -> h.setBearerAuth(token(user))).exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private List<JsonNode> adminLines(String path) {
		return parse(this.http.get().uri(path).headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private List<JsonNode> parse(String body) {
		if (body == null || body.isBlank()) {
			return List.of();
		}
		return body.lines().filter((line) -> !line.isBlank()).map(this.json::readTree).toList();
	}

	private String submit(String owner) {
		return ApiRequests.submit(this.http, token(owner), ApiRequests.A_JOB);
	}

	private void publish(JobStatusChanged event) throws Exception {
		try (KafkaProducer<String, JobStatusChanged> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
				new AvroSerializer<>(JobStatusChanged.class))) {
			producer.send(new ProducerRecord<>(Topics.JOB_STATUS, event.getOwner(), event)).get();
		}
	}

	private static JobStatusChanged snapshot(String owner, String id, JobState state, int attempt, int sequence) {
		Instant now = Instant.now();
		return JobEvents.aSnapshot(id, state, attempt, sequence).setOwner(owner).setSubmittedAt(now).setUpdatedAt(now)
			.build();
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private String adminToken() {
		return this.tokens.sign("sre", Duration.ofMinutes(5), List.of("admin"));
	}

}
