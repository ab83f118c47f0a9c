package io.inloop.api.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class JobsApiTests {

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
	void submittingWithoutATokenIsUnauthorized() {
		this.http.post()
			.uri("/api/jobs")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.steps\"}")
			.exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo(ApiProblem.UNAUTHORIZED.type().toString());
	}

	@Test
	void submittingWithAForgedTokenIsUnauthorized() {
		String forged = new TokenSigner("some-other-secret-of-at-least-32-bytes!!").sign("alice",
				Duration.ofMinutes(5), List.of());
		this.http.get().uri("/api/jobs/anything").headers((h) -> h.setBearerAuth(forged)).exchange()
			.expectStatus().isUnauthorized();
	}

	@Test
	void acceptedJobIsQueuedAndItsCommandAndSnapshotAreInKafka() {
		String owner = uniqueUser();
		var response = this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token(owner)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.steps\",\"payload\":{\"steps\":3}}")
			.exchange()
			.expectStatus().isAccepted()
			.expectBody(Map.class)
			.returnResult();
		@SuppressWarnings("unchecked")
		Map<String, Object> job = response.getResponseBody();
		assertThat(job).containsEntry("state", "QUEUED").containsEntry("owner", owner).containsEntry("type",
				"demo.steps");
		String id = (String) job.get("id");
		assertThat(response.getResponseHeaders().getLocation()).hasPath("/api/jobs/" + id);

		List<ConsumerRecord<String, SubmitJob>> commands = readAll(Topics.JOB_COMMANDS,
				new AvroDeserializer<>(SubmitJob.class), (record) -> record.key().equals(id));
		assertThat(commands).singleElement().satisfies((record) -> {
			assertThat(record.value().getOwner()).isEqualTo(owner);
			assertThat(record.value().getPayload()).isEqualTo("{\"steps\":3}");
		});
		List<ConsumerRecord<String, JobStatusChanged>> statuses = readAll(Topics.JOB_STATUS,
				new AvroDeserializer<>(JobStatusChanged.class), (record) -> record.key().equals(owner));
		assertThat(statuses).singleElement().satisfies((record) -> {
			assertThat(record.value().getJobId()).isEqualTo(id);
			assertThat(record.value().getState()).isEqualTo(JobState.QUEUED);
		});
	}

	@Test
	void ownerReadsTheJobAndAnotherUserGetsNotFound() {
		String owner = uniqueUser();
		String id = submit(owner, "{\"type\":\"demo.steps\"}");

		this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.id").isEqualTo(id)
			.jsonPath("$.state").isEqualTo("QUEUED")
			.jsonPath("$.progress.done").isEqualTo(0);
		this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(uniqueUser()))).exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo(ApiProblem.JOB_NOT_FOUND.type().toString());
	}

	@Test
	void unknownJobTypeIsABadRequestThatNamesTheKnownTypes() {
		this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token(uniqueUser())))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"no.such.type\",\"payload\":{}}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.type").isEqualTo(ApiProblem.INVALID_REQUEST.type().toString())
			.jsonPath("$.detail").value((String detail) -> assertThat(detail).contains("no.such.type")
				.contains("demo.steps"));
	}

	@Test
	void malformedJsonIsABadRequestWithoutAStackTrace() {
		this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token(uniqueUser())))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\": \"demo.steps\", ")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value((body) -> assertThat(body).doesNotContain("Exception").doesNotContain("\tat "));
	}

	@Test
	void payloadThatIsNotAnObjectIsABadRequest() {
		this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token(uniqueUser())))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.steps\",\"payload\":[1,2]}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.detail").isEqualTo("\"payload\" must be a JSON object");
	}

	@Test
	void listShowsOnlyTheCallersJobsNewestFirstAndFilters() {
		String owner = uniqueUser();
		String first = submit(owner, "{\"type\":\"demo.steps\"}");
		String second = submit(owner, "{\"type\":\"demo.fail\"}");
		submit(uniqueUser(), "{\"type\":\"demo.steps\"}");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.http.get()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token(owner)))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].id").isEqualTo(second)
			.jsonPath("$[1].id").isEqualTo(first));
		this.http.get()
			.uri("/api/jobs?type=demo.fail&state=queued&limit=5")
			.headers((h) -> h.setBearerAuth(token(owner)))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].id").isEqualTo(second);
		this.http.get().uri("/api/jobs?state=SLEEPING").headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isBadRequest();
		this.http.get().uri("/api/jobs?limit=1000").headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isBadRequest();
	}

	@Test
	void cancellingAQueuedJobMarksItCancelledAndTellsTheWorkers() {
		String owner = uniqueUser();
		String id = submit(owner, "{\"type\":\"demo.steps\"}");

		this.http.post().uri("/api/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isAccepted()
			.expectBody()
			.jsonPath("$.state").isEqualTo("CANCELLED");

		assertThat(readAll(Topics.JOB_CONTROL, new AvroDeserializer<>(CancelJob.class),
				(record) -> record.key().equals(id)))
			.singleElement()
			.satisfies((record) -> assertThat(record.value().getOwner()).isEqualTo(owner));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.http.get()
			.uri("/api/jobs/{id}", id)
			.headers((h) -> h.setBearerAuth(token(owner)))
			.exchange()
			.expectBody()
			.jsonPath("$.state").isEqualTo("CANCELLED"));
		this.http.post().uri("/api/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isEqualTo(409)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void cancellingSomeoneElsesJobIsNotFound() {
		String id = submit(uniqueUser(), "{\"type\":\"demo.steps\"}");

		this.http.post().uri("/api/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(token(uniqueUser())))
			.exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void sameIdempotencyKeyTwiceMakesOneJob() {
		String owner = uniqueUser();
		String first = submitWithKey(owner, "export-42").expectHeader().valueEquals("Idempotent-Replayed", "false")
			.expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
		String again = submitWithKey(owner, "export-42").expectHeader().valueEquals("Idempotent-Replayed", "true")
			.expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
		String otherUser = submitWithKey(uniqueUser(), "export-42").expectBody(Map.class).returnResult()
			.getResponseBody().get("id").toString();

		assertThat(again).isEqualTo(first);
		assertThat(otherUser).as("keys are per user").isNotEqualTo(first);
		assertThat(readAll(Topics.JOB_COMMANDS, new AvroDeserializer<>(SubmitJob.class),
				(record) -> record.key().equals(first)))
			.hasSize(1);
	}

	@Test
	void perJobAttemptsAndTimeoutReachTheCommandAndBadOnesAreRefused() {
		String owner = uniqueUser();
		String id = submit(owner, "{\"type\":\"demo.steps\",\"maxAttempts\":5,\"timeout\":\"PT30S\"}");

		assertThat(readAll(Topics.JOB_COMMANDS, new AvroDeserializer<>(SubmitJob.class),
				(record) -> record.key().equals(id)))
			.singleElement()
			.satisfies((record) -> {
				assertThat(record.value().getMaxAttempts()).isEqualTo(5);
				assertThat(record.value().getTimeoutMillis()).isEqualTo(30_000L);
			});
		for (String bad : List.of("{\"type\":\"demo.steps\",\"maxAttempts\":0}",
				"{\"type\":\"demo.steps\",\"timeout\":\"soon\"}", "{\"type\":\"demo.steps\",\"timeout\":\"P3D\"}")) {
			this.http.post()
				.uri("/api/jobs")
				.headers((h) -> h.setBearerAuth(token(owner)))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(bad)
				.exchange()
				.expectStatus().isBadRequest()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void garbageOnTheStatusTopicIsDeadLetteredAndTheLedgerKeepsGoing() throws Exception {
		String owner = uniqueUser();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.JOB_STATUS, owner, "not a snapshot".getBytes())).get();
		}

		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.deadLetter(Topics.JOB_STATUS)));
			List<String> dead = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (owner.equals(record.key())) {
						dead.add(new String(record.value()));
					}
				});
				assertThat(dead).containsExactly("not a snapshot");
			});
		}
		String id = submit(owner, "{\"type\":\"demo.steps\"}");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.http.get()
			.uri("/api/jobs?limit=5")
			.headers((h) -> h.setBearerAuth(token(owner)))
			.exchange()
			.expectBody()
			.jsonPath("$[0].id").isEqualTo(id));
	}

	private WebTestClient.ResponseSpec submitWithKey(String owner, String key) {
		return this.http.post()
			.uri("/api/jobs")
			.headers((h) -> {
				h.setBearerAuth(token(owner));
				h.set("Idempotency-Key", key);
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.steps\"}")
			.exchange()
			.expectStatus().isAccepted();
	}

	@Test
	void devTokensDoNotExistOutsideLocalMode() {
		String token = token(uniqueUser());
		this.http.post()
			.uri("/api/dev/tokens")
			.headers((h) -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"alice\"}")
			.exchange()
			.expectStatus().isNotFound();
	}

	private String submit(String owner, String body) {
		return ApiRequests.submit(this.http, token(owner), body);
	}

	/** Reads the records of {@code topic} that match, skipping values that are not ours to read. */
	private <V extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, V>> readAll(String topic,
			AvroDeserializer<V> values, java.util.function.Predicate<ConsumerRecord<String, V>> filter) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		List<ConsumerRecord<String, V>> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				collect(consumer.poll(Duration.ofMillis(200)), values, filter, found);
				assertThat(found).isNotEmpty();
			});
			collect(consumer.poll(Duration.ofMillis(300)), values, filter, found);
		}
		return found;
	}

	private static <V extends org.apache.avro.specific.SpecificRecord> void collect(
			org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records, AvroDeserializer<V> values,
			java.util.function.Predicate<ConsumerRecord<String, V>> filter, List<ConsumerRecord<String, V>> found) {
		for (ConsumerRecord<String, byte[]> raw : records) {
			V value;
			try {
				value = values.deserialize(raw.topic(), raw.value());
			}
			catch (org.apache.kafka.common.errors.SerializationException ex) {
				continue;
			}
			ConsumerRecord<String, V> record = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
					raw.key(), value);
			if (filter.test(record)) {
				found.add(record);
			}
		}
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private static String uniqueUser() {
		return "user-" + UUID.randomUUID();
	}

}
