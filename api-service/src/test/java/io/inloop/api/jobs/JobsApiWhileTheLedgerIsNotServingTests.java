package io.inloop.api.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every path that needs the ledger answers 503 with {@code Retry-After} while Kafka Streams is
 * stopped, starting, rebalancing or restoring, never 500 and never a wrong 404; the ledger is
 * started and stopped here by hand, as a restart does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.streams.auto-startup=false", "logging.level.io.inloop.api.ledger=DEBUG" })
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class JobsApiWhileTheLedgerIsNotServingTests {

	private static final Duration READY_WITHIN = Duration.ofSeconds(60);

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private StreamsBuilderFactoryBean ledger;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	@Value("${inloop.ledger.membership.instance-id}")
	private String instanceId;

	@AfterEach
	void leaveTheLedgerStopped() {
		this.ledger.stop();
	}

	@Test
	void everyLedgerPathIs503WithRetryAfterUntilTheLedgerServesThenAnswersForReal() {
		this.ledger.stop();
		String owner = uniqueUser();
		String unknown = UUID.randomUUID().toString();

		List<Function<String, EntityExchangeResult<String>>> ledgerPaths = ledgerPaths(owner, unknown);
		for (Function<String, EntityExchangeResult<String>> path : ledgerPaths) {
			assertUnavailable(path.apply("stopped"));
		}
		// Taking a job needs Kafka, not the ledger; the instance that took it answers for it from memory.
		String id = submit(owner);
		assertThat(get(owner, id).getStatus()).isEqualTo(HttpStatus.OK);

		this.ledger.start();
		List<String> wrong = new ArrayList<>();
		await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> {
			EntityExchangeResult<String> answer = get(owner, unknown);
			// Once the ledger has the job, the instance forgets it; a later rebalance is a 503, never a 404.
			record(wrong, get(owner, id), HttpStatus.OK);
			record(wrong, answer, HttpStatus.NOT_FOUND);
			return answer.getStatus() == HttpStatus.NOT_FOUND;
		});
		assertThat(wrong).as("answers other than the right one and 503 with Retry-After").isEmpty();
		assertThat(this.ledger.getKafkaStreams().state()).isEqualTo(KafkaStreams.State.RUNNING);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(list(owner).getResponseBody())
			.contains(id));
		assertThat(cancel(owner, id).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
	}

	@Test
	void aStoppedLedgerLeavesItsGroupAndComesBackAsTheSameStaticMember() {
		startAndAwaitRunning();
		assertThat(members()).singleElement()
			.satisfies((member) -> assertThat(member.groupInstanceId()).hasValueSatisfying(
					(instance) -> assertThat(instance).startsWith(this.instanceId + "-")));

		this.ledger.stop();
		// Left at once: nobody waits session.timeout.ms (45 s) for a member that is gone.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(members()).isEmpty());
		String owner = uniqueUser();
		for (Function<String, EntityExchangeResult<String>> path : ledgerPaths(owner, UUID.randomUUID().toString())) {
			assertUnavailable(path.apply("stopped again"));
		}

		startAndAwaitRunning();
		assertThat(members()).singleElement()
			.satisfies((member) -> assertThat(member.groupInstanceId()).hasValueSatisfying(
					(instance) -> assertThat(instance).startsWith(this.instanceId + "-")));
	}

	private void startAndAwaitRunning() {
		this.ledger.start();
		String owner = uniqueUser();
		List<String> wrong = new ArrayList<>();
		await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> {
			EntityExchangeResult<String> answer = list(owner);
			record(wrong, answer, HttpStatus.OK);
			return answer.getStatus() == HttpStatus.OK;
		});
		assertThat(wrong).as("answers other than 200 and 503 with Retry-After").isEmpty();
	}

	/** Read one job, list, cancel, an idempotent submit (must look first), a job's history. */
	private List<Function<String, EntityExchangeResult<String>>> ledgerPaths(String owner, String id) {
		return List.of((when) -> get(owner, id), (when) -> list(owner), (when) -> cancel(owner, id),
				(when) -> exchange(this.http.post()
					.uri("/api/jobs")
					.headers((h) -> {
						h.setBearerAuth(token(owner));
						h.set("Idempotency-Key", "key-" + id);
					})
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue("{\"type\":\"demo.steps\"}")),
				(when) -> exchange(this.http.get()
					.uri("/api/jobs/{id}/events", id)
					.headers((h) -> h.setBearerAuth(token(owner)))));
	}

	/** Notes an answer that is neither {@code expected} nor a proper 503 (a failed assertion here would only be retried). */
	private static void record(List<String> wrong, EntityExchangeResult<String> answer, HttpStatus expected) {
		if (answer.getStatus() == expected) {
			return;
		}
		try {
			assertUnavailable(answer);
		}
		catch (AssertionError ex) {
			wrong.add(ex.getMessage());
		}
	}

	private static void assertUnavailable(EntityExchangeResult<String> answer) {
		assertThat(answer.getStatus()).as("%s %s: %s", answer.getMethod(), answer.getUrl(), answer.getResponseBody())
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(answer.getResponseHeaders().getFirst("Retry-After")).as("Retry-After").isEqualTo("1");
		assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getResponseBody()).contains("\"status\":503").contains("ledger")
			.contains("\"type\":\"" + ApiProblem.LEDGER_UNAVAILABLE.type() + "\"");
	}

	private Collection<MemberDescription> members() {
		// The group is the application id; read it back: the test profile's ${random.uuid} differs per lookup.
		String group = this.ledger.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			return admin.describeConsumerGroups(List.of(group))
				.describedGroups()
				.get(group)
				.get()
				.members();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String submit(String owner) {
		return ApiRequests.submit(this.http, token(owner), ApiRequests.A_JOB);
	}

	private EntityExchangeResult<String> get(String owner, String id) {
		return exchange(this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(owner))));
	}

	private EntityExchangeResult<String> list(String owner) {
		return exchange(this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(token(owner))));
	}

	private EntityExchangeResult<String> cancel(String owner, String id) {
		return exchange(
				this.http.post().uri("/api/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(token(owner))));
	}

	private static EntityExchangeResult<String> exchange(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectBody(String.class).returnResult();
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private static String uniqueUser() {
		return "user-" + UUID.randomUUID();
	}

}
