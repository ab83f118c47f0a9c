package io.inloop.api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.JobIds;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job whose command Kafka does not take: the caller hears {@code 503 submission-failed} with
 * {@code Retry-After} once the producer gives up (at once for a record the topic refuses, after
 * {@code delivery.timeout.ms} when no broker takes writes), and the job is not left {@code QUEUED}:
 * its owner sees it {@code FAILED} ({@code submit-failed}, retryable). The command topic is made to
 * refuse the command by making its largest record smaller than one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class SubmissionFailureTests {

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
	void aCommandKafkaDoesNotTakeIsAnswered503AndTheJobIsShownFailedNotQueued() throws Exception {
		String owner = "user-" + UUID.randomUUID();
		String token = this.tokens.sign(owner, Duration.ofMinutes(5), List.of());
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			String largest = commandsTake(admin, null);
			commandsTake(admin, "16");
			try {
				this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build()
					.post()
					.uri("/api/jobs")
					.headers((h) -> h.setBearerAuth(token))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(ApiRequests.A_JOB)
					.exchange()
					.expectStatus().isEqualTo(503)
					.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.expectHeader().exists(HttpHeaders.RETRY_AFTER)
					.expectBody()
					.jsonPath("$.type").isEqualTo(ApiProblem.SUBMISSION_FAILED.type().toString());
			}
			finally {
				commandsTake(admin, largest);
			}
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.http.get()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].state").isEqualTo("FAILED")
			.jsonPath("$[0].error.code").isEqualTo("submit-failed")
			.jsonPath("$[0].error.retryable").isEqualTo(true));
		// Kafka takes commands again: so does the API, with the same producer
		ApiRequests.submit(this.http, token, ApiRequests.A_JOB);
	}

	@Test
	void aSubmissionTriedAgainWithItsKeyAfter503MakesItsJobAndRepeatsGetThatJob() throws Exception {
		String owner = "user-" + UUID.randomUUID();
		String token = this.tokens.sign(owner, Duration.ofMinutes(5), List.of());
		String key = "export-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			String largest = commandsTake(admin, null);
			commandsTake(admin, "16");
			try {
				assertThat(submit(token, key).getStatus().value()).isEqualTo(503);
			}
			finally {
				commandsTake(admin, largest);
			}
		}
		// At once, before the first try's FAILED snapshot may be in the ledger, and again once it is
		EntityExchangeResult<Map> again = submit(token, key);
		assertThat(again.getStatus().value()).isEqualTo(202);
		assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("false");
		assertThat(again.getResponseBody()).containsEntry("state", "QUEUED");
		String made = (String) again.getResponseBody().get("id");
		assertThat(made).as("not the id of the try that failed").isNotEqualTo(JobIds.forIdempotencyKey(owner, key));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jobStates(token))
			.containsEntry(JobIds.forIdempotencyKey(owner, key), "FAILED")
			.containsEntry(made, "QUEUED"));
		EntityExchangeResult<Map> repeat = submit(token, key);
		assertThat(repeat.getStatus().value()).isEqualTo(202);
		assertThat(repeat.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(repeat.getResponseBody()).containsEntry("id", made);
		assertThat(jobStates(token)).as("one job made, beside the try that failed").hasSize(2);
	}

	@SuppressWarnings("rawtypes")
	private EntityExchangeResult<Map> submit(String token, String key) {
		return this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build()
			.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token))
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(ApiRequests.A_JOB)
			.exchange()
			.expectBody(Map.class)
			.returnResult();
	}

	/** The caller's jobs: id to state. */
	private Map<String, String> jobStates(String token) {
		List<?> jobs = this.http.get()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus().isOk()
			.expectBody(List.class)
			.returnResult()
			.getResponseBody();
		Map<String, String> states = new java.util.HashMap<>();
		jobs.forEach((job) -> states.put((String) ((Map<?, ?>) job).get("id"), (String) ((Map<?, ?>) job).get("state")));
		return states;
	}

	/**
	 * Sets {@code max.message.bytes} of the command topic when {@code bytes} is given, once the broker
	 * has applied it; returns the value it had.
	 */
	private static String commandsTake(Admin admin, @Nullable String bytes) throws Exception {
		ConfigResource commands = new ConfigResource(ConfigResource.Type.TOPIC, Topics.JOB_COMMANDS);
		String before = maxMessageBytes(admin, commands);
		if (bytes != null) {
			AlterConfigOp op = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes),
					AlterConfigOp.OpType.SET);
			admin.incrementalAlterConfigs(Map.of(commands, List.of(op))).all().get(30, TimeUnit.SECONDS);
			// The controller has it; the broker answers describeConfigs from what it has applied
			await().atMost(Duration.ofSeconds(10)).until(() -> bytes.equals(maxMessageBytes(admin, commands)));
		}
		return before;
	}

	private static String maxMessageBytes(Admin admin, ConfigResource topic) throws Exception {
		return admin.describeConfigs(List.of(topic))
			.all()
			.get(10, TimeUnit.SECONDS)
			.get(topic)
			.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
			.value();
	}

}
