package io.inloop.api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.security.TokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service with scope {@code jobs:submit-for} submits jobs that belong to the users it names. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class SubmitForTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private MeterRegistry meters;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	@BeforeEach
	void ledgerIsReady() {
		ApiRequests.awaitReady(this.http);
	}

	@Test
	void aJobSubmittedForAUserIsThatUsersOwnAndNotTheSubmitters() {
		String service = unique("billing");
		String owner = unique("alice");
		@SuppressWarnings("unchecked")
		Map<String, Object> accepted = submitFor(service(service), owner, null).expectStatus().isAccepted()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(accepted).containsEntry("owner", owner).containsEntry("state", "QUEUED");
		String id = accepted.get("id").toString();

		await().atMost(Duration.ofSeconds(10)).until(() -> onlyJobOf(owner), Optional.of(id)::equals);
		this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(user(owner))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.owner").isEqualTo(owner)
			.jsonPath("$.type").isEqualTo("demo.steps");

		this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(service(service))).exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.post().uri("/api/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(service(service)))
			.exchange()
			.expectStatus().isNotFound();
		this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(service(service))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(0);
		this.http.post().uri("/api/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(user(owner))).exchange()
			.expectStatus().isAccepted()
			.expectBody()
			.jsonPath("$.state").isEqualTo("CANCELLED");
	}

	@Test
	void theCommandNamesTheOwnerAndTheSubmitterAndTheSubmissionIsCounted() {
		String service = unique("billing");
		String owner = unique("alice");
		String id = idOf(submitFor(service(service), owner, null));

		SubmitJob command = commandOf(id);
		assertThat(command.getOwner()).isEqualTo(owner);
		assertThat(command.getSubmittedBy()).isEqualTo(service);
		assertThat(this.meters.get("inloop.jobs.submitted.for").tag("submitter", service).counter().count())
			.isEqualTo(1.0);

		String own = idOf(submitFor(user(owner), null, null));
		assertThat(commandOf(own).getSubmittedBy()).as("the owner's own job has no submitter").isNull();
	}

	@Test
	void namingAnotherOwnerWithoutTheScopeIsForbidden() {
		String owner = unique("alice");
		submitFor(user(unique("mallory")), owner, null).expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(403)
			.jsonPath("$.type").isEqualTo(ApiProblem.FORBIDDEN.type().toString())
			.jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("jobs:submit-for"));
		String otherScopes = this.tokens.sign(unique("svc"), Duration.ofMinutes(5), List.of("events:all", "metrics"));
		submitFor(otherScopes, owner, null).expectStatus().isForbidden();

		this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(user(owner))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(0);
	}

	@Test
	void namingYourselfNeedsNoScope() {
		String owner = unique("alice");
		submitFor(user(owner), owner, null).expectStatus().isAccepted()
			.expectBody()
			.jsonPath("$.owner").isEqualTo(owner);
	}

	@Test
	void anOwnerThatIsNotAUserIdIsABadRequest() {
		String service = service(unique("billing"));
		for (String bad : List.of("", " alice", "alice bob", "tab\tbed", "x".repeat(256))) {
			submitFor(service, bad, null).expectStatus().isBadRequest()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("\"owner\""));
		}
	}

	@Test
	void idempotencyKeysAreScopedPerOwnerAndSubmitter() {
		String billing = service(unique("billing"));
		String reports = service(unique("reports"));
		String alice = unique("alice");
		String bob = unique("bob");

		String first = idOf(submitFor(billing, alice, "invoice-7").expectHeader().valueEquals("Idempotent-Replayed", "false"));
		String again = idOf(submitFor(billing, alice, "invoice-7").expectHeader().valueEquals("Idempotent-Replayed", "true"));
		String otherService = idOf(submitFor(reports, alice, "invoice-7"));
		String aliceHerself = idOf(submitFor(user(alice), null, "invoice-7"));
		String otherOwner = idOf(submitFor(billing, bob, "invoice-7"));

		assertThat(again).isEqualTo(first);
		assertThat(List.of(otherService, aliceHerself, otherOwner)).doesNotContain(first).doesNotHaveDuplicates();
	}

	private WebTestClient.ResponseSpec submitFor(String token, @Nullable String owner, @Nullable String idempotencyKey) {
		String body = (owner != null) ? "{\"type\":\"demo.steps\",\"owner\":\"" + owner.replace("\t", "\\t") + "\"}"
				: "{\"type\":\"demo.steps\"}";
		return this.http.post()
			.uri("/api/jobs")
			.headers((h) -> {
				h.setBearerAuth(token);
				if (idempotencyKey != null) {
					h.set("Idempotency-Key", idempotencyKey);
				}
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private static String idOf(WebTestClient.ResponseSpec response) {
		return response.expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody()
			.get("id").toString();
	}

	private Optional<String> onlyJobOf(String owner) {
		List<?> jobs = this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(user(owner))).exchange()
			.expectStatus().isOk()
			.expectBody(List.class)
			.returnResult()
			.getResponseBody();
		return (jobs.size() == 1) ? Optional.of(((Map<?, ?>) jobs.get(0)).get("id").toString()) : Optional.empty();
	}

	/** The command of job {@code id} as the workers get it. */
	private SubmitJob commandOf(String id) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		AvroDeserializer<SubmitJob> commands = new AvroDeserializer<>(SubmitJob.class);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.JOB_COMMANDS));
			SubmitJob[] found = new SubmitJob[1];
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (id.equals(record.key())) {
						try {
							found[0] = commands.deserialize(record.topic(), record.value());
						}
						catch (SerializationException ex) {
							// Another test's garbage on the same key space: not ours
						}
					}
				}
				return found[0] != null;
			});
			return found[0];
		}
	}

	private String service(String name) {
		return this.tokens.sign(name, Duration.ofMinutes(5), List.of(JobOwners.SUBMIT_FOR_SCOPE));
	}

	private String user(String name) {
		return this.tokens.sign(name, Duration.ofMinutes(5), List.of());
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID();
	}

}
