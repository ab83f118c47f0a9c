package io.inloop.api.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.CancelJob;
import io.inloop.schemas.JobError;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.AvroSerializer;
import io.inloop.security.TokenSigner;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class AdminJobsApiTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS = new ParameterizedTypeReference<>() {
	};

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
	void theApiNeedsTheAdminScopeAndThePageDoesNot() {
		String user = token(uniqueUser());
		String id = ApiRequests.submit(this.http, user, ApiRequests.A_JOB);
		for (String path : List.of("/admin/jobs", "/admin/jobs/" + id, "/admin/jobs/changes", "/admin/jobs/stats",
				"/admin/jobs/" + id + "/command")) {
			this.http.get().uri(path).headers((h) -> h.setBearerAuth(user)).exchange()
				.expectStatus().isForbidden();
			this.http.get().uri(path).exchange().expectStatus().isUnauthorized()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		for (String action : List.of("cancel", "retry")) {
			this.http.post().uri("/admin/jobs/{id}/" + action, id).headers((h) -> h.setBearerAuth(user)).exchange()
				.expectStatus().isForbidden();
		}
		this.http.get().uri("/admin").exchange()
			.expectStatus().isOk()
			.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class).value((page) -> assertThat(page).contains("/admin/dashboard.js"));
		this.http.get().uri("/admin/dashboard.js").exchange().expectStatus().isOk();
	}

	@Test
	void listsJobsAcrossOwnersFilteredByStateTypeOwnerAndTime() {
		Instant start = Instant.now().minusMillis(5);
		String alice = uniqueUser();
		String bob = uniqueUser();
		String aliceSteps = submit(alice, "{\"type\":\"demo.steps\"}");
		String bobFail = submit(bob, "{\"type\":\"demo.fail\"}");
		String bobSteps = submit(bob, "{\"type\":\"demo.steps\"}");
		fail(bob, bobFail);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids("state=FAILED&from=" + start))
			.contains(bobFail).doesNotContain(aliceSteps, bobSteps));
		assertThat(ids("owner=" + bob)).containsExactly(bobSteps, bobFail);
		assertThat(ids("owner=" + bob + "&type=demo.steps")).containsExactly(bobSteps);
		assertThat(ids("owner=" + bob + "&state=queued")).containsExactly(bobSteps);
		assertThat(ids("type=demo.fail&from=" + start)).contains(bobFail).doesNotContain(aliceSteps, bobSteps);
		assertThat(ids("from=" + start)).contains(aliceSteps, bobFail, bobSteps);
		assertThat(ids("from=" + start).indexOf(bobSteps)).as("newest first")
			.isLessThan(ids("from=" + start).indexOf(aliceSteps));
		assertThat(ids("to=" + start.minusSeconds(1))).doesNotContain(aliceSteps, bobFail, bobSteps);
		assertThat(ids("owner=" + alice + "&to=" + Instant.now())).containsExactly(aliceSteps);
		// The far ends of what ISO-8601 instants can say: every job, not an overflow
		String farPast = "-1000000000-01-01T00:00:00Z";
		String farFuture = "+1000000000-12-31T23:59:59Z";
		assertThat(ids("owner={owner}&from={from}&to={to}", bob, farPast, farFuture)).containsExactly(bobSteps, bobFail);
		assertThat(ids("owner={owner}&from={from}", bob, farFuture)).isEmpty();
		assertThat(ids("from={from}", farPast)).contains(aliceSteps, bobFail, bobSteps);
		assertThat(ids("owner=" + bob + "&to=1969-12-31T23:59:59Z")).isEmpty();
		this.http.get().uri("/admin/jobs/{id}", bobFail).headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.owner").isEqualTo(bob)
			.jsonPath("$.state").isEqualTo("FAILED");
		this.http.get().uri("/admin/jobs/no-such-job").headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo(ApiProblem.JOB_NOT_FOUND.type().toString());
		for (String bad : List.of("state=SLEEPING", "from=yesterday", "limit=0", "limit=1000", "cursor=%25%25")) {
			this.http.get().uri("/admin/jobs?" + bad).headers((h) -> h.setBearerAuth(adminToken())).exchange()
				.expectStatus().isBadRequest()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.type").isEqualTo(ApiProblem.INVALID_REQUEST.type().toString());
		}
	}

	@Test
	void theQueuesFiguresCountWhatWaitsAndWhatEnded() {
		Map<String, Object> before = stats();
		String owner = uniqueUser();
		String first = submit(owner, "{\"type\":\"demo.steps\"}");
		submit(owner, "{\"type\":\"demo.steps\"}");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Map<String, Object> now = stats();
			assertThat(count(now, "states", "QUEUED")).isEqualTo(count(before, "states", "QUEUED") + 2);
			assertThat(((Number) now.get("waiting")).longValue()).isEqualTo(((Number) before.get("waiting")).longValue() + 2);
			assertThat(((Number) now.get("oldestWaitSeconds")).longValue()).isNotNegative();
		});

		fail(owner, first);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Map<String, Object> now = stats();
			assertThat(count(now, "states", "FAILED")).isEqualTo(count(before, "states", "FAILED") + 1);
			assertThat(count(now, "lastHour", "failed")).isEqualTo(count(before, "lastHour", "failed") + 1);
			assertThat(count(now, "states", "QUEUED")).isEqualTo(count(before, "states", "QUEUED") + 1);
			@SuppressWarnings("unchecked")
			Map<String, Object> steps = (Map<String, Object>) ((Map<String, Object>) now.get("types")).get("demo.steps");
			assertThat(((Number) steps.get("FAILED")).longValue()).isPositive();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> minutes = (List<Map<String, Object>>) ((Map<String, Object>) now.get("lastHour"))
				.get("minutes");
			assertThat(minutes).hasSize(60);
			assertThat(((Number) minutes.get(0).get("failed")).longValue()
					+ ((Number) minutes.get(1).get("failed")).longValue()).as("this minute or the one before").isPositive();
		});
	}

	@Test
	void anOperatorReadsAnyOwnersPayload() {
		String owner = uniqueUser();
		String id = submit(owner, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":3,\"note\":\"<b>x</b>\"},\"maxAttempts\":2}");
		String body = await().atMost(Duration.ofSeconds(20)).until(() -> this.http.get()
			.uri("/admin/jobs/{id}/command", id)
			.headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectBody(String.class)
			.returnResult(), (result) -> result.getStatus().value() == 200)
			.getResponseBody();
		@SuppressWarnings("unchecked")
		Map<String, Object> command = json.readValue(body, Map.class);
		assertThat(command).containsEntry("jobId", id).containsEntry("type", "demo.steps").containsEntry("maxAttempts", 2);
		assertThat(command.get("payload")).isEqualTo(Map.of("steps", 3, "note", "<b>x</b>"));
		this.http.get().uri("/admin/jobs/{id}/command", "01900000-0000-7000-8000-000000000000")
			.headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void deadLettersAreListedNewestFirstWithWhyAndPoisonRecordsToo() throws Exception {
		String owner = uniqueUser();
		String id = submit(owner, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":1}}");
		SubmitJob command = SubmitJob.newBuilder()
			.setJobId(id)
			.setOwner(owner)
			.setType("demo.steps")
			.setPayload("{\"steps\":1}")
			.setSubmittedAt(Instant.now())
			.setAttempt(3)
			.build();
		String poisonKey = "poison-" + UUID.randomUUID();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
				new ByteArraySerializer())) {
			ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetter(Topics.JOB_COMMANDS), id,
					new AvroSerializer<>(SubmitJob.class).serialize(Topics.JOB_COMMANDS, command));
			dead.headers().add(Topics.ERROR_CODE_HEADER, "timeout".getBytes(StandardCharsets.UTF_8));
			dead.headers().add("kafka_dlt-exception-message", "The attempt took longer than 30 s".getBytes(StandardCharsets.UTF_8));
			producer.send(dead).get();
			producer.send(new ProducerRecord<>(Topics.deadLetter(Topics.JOB_COMMANDS), poisonKey,
					"not a command".getBytes(StandardCharsets.UTF_8))).get();
		}
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> letters = (List<Map<String, Object>>) adminRead("/admin/dead-letters?limit=200")
			.get("deadLetters");
		assertThat(letters).filteredOn((letter) -> id.equals(letter.get("jobId"))).singleElement().satisfies((letter) -> {
			assertThat(letter).containsEntry("owner", owner).containsEntry("type", "demo.steps").containsEntry("attempt", 3)
				.containsEntry("code", "timeout").containsEntry("error", "The attempt took longer than 30 s")
				.containsEntry("readable", true);
		});
		assertThat(letters).filteredOn((letter) -> poisonKey.equals(letter.get("jobId"))).singleElement()
			.satisfies((letter) -> assertThat(letter).containsEntry("readable", false).containsEntry("owner", null));
		assertThat(letters).extracting((letter) -> Instant.parse((String) letter.get("deadLetteredAt")))
			.isSortedAccordingTo(java.util.Comparator.reverseOrder());

		this.http.get().uri("/admin/dead-letters").headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isForbidden();
		this.http.get().uri("/admin/dead-letters?from=yesterday").headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isBadRequest();
		this.http.get().uri("/admin/dead-letters?from=-1000000000-01-01T00:00:00Z").headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectStatus().isOk();
	}

	private Map<String, Object> stats() {
		return adminRead("/admin/jobs/stats");
	}

	/** The JSON object an operator reads at {@code uri}, answered 200. */
	private Map<String, Object> adminRead(String uri) {
		String body = this.http.get()
			.uri(uri)
			.headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		@SuppressWarnings("unchecked")
		Map<String, Object> read = json.readValue(body, Map.class);
		return read;
	}

	@SuppressWarnings("unchecked")
	private static long count(Map<String, Object> stats, String group, String name) {
		Object value = ((Map<String, Object>) stats.get(group)).get(name);
		return (value != null) ? ((Number) value).longValue() : 0;
	}

	@Test
	void pagesGoOnFromTheCursorUntilTheLastAndACursorFitsOnlyItsFilters() {
		String owner = uniqueUser();
		List<String> submitted = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			submitted.add(0, submit(owner, ApiRequests.A_JOB));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> ids("owner=" + owner + "&limit=100").size() == 5);

		List<String> paged = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		String cursor = null;
		do {
			Map<String, Object> page = page("owner=" + owner + "&limit=2" + ((cursor != null) ? "&cursor=" + cursor : ""));
			List<String> ids = idsOf(page);
			paged.addAll(ids);
			sizes.add(ids.size());
			cursor = (String) page.get("next");
		}
		while (cursor != null);
		assertThat(sizes).containsExactly(2, 2, 1);
		assertThat(paged).containsExactlyElementsOf(submitted);

		String ownersCursor = (String) page("owner=" + owner + "&limit=2").get("next");
		this.http.get().uri("/admin/jobs?state=QUEUED&cursor=" + ownersCursor).headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").isEqualTo("The cursor belongs to a list with other filters");
	}

	@Test
	void aPageReadsAtMostTenEntriesPerJobAskedForWhateverItsFiltersSkip() {
		String owner = uniqueUser();
		for (int i = 0; i < 12; i++) {
			submit(owner, ApiRequests.A_JOB);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> ids("owner=" + owner + "&limit=100").size() == 12);

		// None of the owner's jobs failed: the first page stops after 10 entries, empty, with a next page
		Map<String, Object> first = page("owner=" + owner + "&state=FAILED&limit=1");
		assertThat(idsOf(first)).isEmpty();
		assertThat(first.get("next")).isNotNull();
		Map<String, Object> second = page("owner=" + owner + "&state=FAILED&limit=1&cursor=" + first.get("next"));
		assertThat(idsOf(second)).isEmpty();
		assertThat(second.get("next")).isNull();
	}

	@Test
	void theListIsNewestFirstAndPagesSkipNoJobWhenTheOwnersAreOnDifferentPartitions() {
		int partitions = partitionsOf(Topics.JOB_STATUS);
		assertThat(partitions).as("the test broker's partitions").isGreaterThan(1);
		// A job on every partition in turn, then in the reverse turn: read a partition after another,
		// in whatever order, the jobs could not be newest first
		List<String> owners = new ArrayList<>();
		for (int partition = 0; partition < partitions; partition++) {
			owners.add(userOnPartition(partition, partitions));
		}
		List<String> turns = new ArrayList<>(owners);
		List<String> reverseTurn = new ArrayList<>(owners);
		Collections.reverse(reverseTurn);
		turns.addAll(reverseTurn);
		Instant start = Instant.now().minusMillis(5);
		List<String> submitted = new ArrayList<>();
		for (String owner : turns) {
			submitted.add(submit(owner, ApiRequests.A_JOB));
		}
		List<String> newestFirst = new ArrayList<>(submitted);
		Collections.reverse(newestFirst);
		await().atMost(Duration.ofSeconds(10)).until(() -> ids("from=" + start).containsAll(submitted));

		assertThat(ids("from=" + start)).filteredOn(submitted::contains).as("newest first")
			.containsExactlyElementsOf(newestFirst);
		List<String> paged = new ArrayList<>();
		String cursor = null;
		do {
			Map<String, Object> page = page("from=" + start + "&limit=1" + ((cursor != null) ? "&cursor=" + cursor : ""));
			paged.addAll(idsOf(page));
			cursor = (String) page.get("next");
		}
		while (cursor != null);
		assertThat(paged).filteredOn(submitted::contains).as("a page at a time").containsExactlyElementsOf(newestFirst);
	}

	@Test
	void anOperatorCancelsAnyOwnersJobAndTheOwnerSeesItCancelled() {
		String owner = uniqueUser();
		String id = submit(owner, ApiRequests.A_JOB);
		await().atMost(Duration.ofSeconds(10)).until(() -> ids("owner=" + owner).contains(id));

		this.http.post().uri("/admin/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isAccepted()
			.expectBody()
			.jsonPath("$.state").isEqualTo("CANCELLED")
			.jsonPath("$.owner").isEqualTo(owner);

		assertThat(readAll(Topics.JOB_CONTROL, new AvroDeserializer<>(CancelJob.class), id)).singleElement()
			.satisfies((cancel) -> assertThat(cancel.getOwner()).isEqualTo(owner));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.http.get()
			.uri("/api/jobs/{id}", id)
			.headers((h) -> h.setBearerAuth(token(owner)))
			.exchange()
			.expectBody()
			.jsonPath("$.state").isEqualTo("CANCELLED"));
		this.http.post().uri("/admin/jobs/{id}/cancel", id).headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isEqualTo(409)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo(ApiProblem.JOB_ALREADY_ENDED.type().toString());
		this.http.post().uri("/admin/jobs/no-such-job/cancel").headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isNotFound()
			.expectBody().jsonPath("$.type").isEqualTo(ApiProblem.JOB_NOT_FOUND.type().toString());
	}

	@Test
	void retryRunsAFailedJobAgainAsANewJobOfItsOwnerOnce() {
		String owner = uniqueUser();
		String id = submit(owner, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":3},\"maxAttempts\":2,\"timeout\":\"PT30S\"}");
		await().atMost(Duration.ofSeconds(10)).until(() -> ids("owner=" + owner).contains(id));
		this.http.post().uri("/admin/jobs/{id}/retry", id).headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isEqualTo(409)
			.expectBody()
			.jsonPath("$.type").isEqualTo(ApiProblem.JOB_NOT_FAILED.type().toString())
			.jsonPath("$.detail").isEqualTo("Job " + id + " is QUEUED; only a FAILED job can be retried");
		fail(owner, id);
		await().atMost(Duration.ofSeconds(10)).until(() -> ids("owner=" + owner + "&state=FAILED").contains(id));

		var retried = this.http.post().uri("/admin/jobs/{id}/retry", id).headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectStatus().isAccepted()
			.expectHeader().valueEquals("Idempotent-Replayed", "false")
			.expectBody(Map.class)
			.returnResult();
		@SuppressWarnings("unchecked")
		Map<String, Object> job = retried.getResponseBody();
		String again = (String) job.get("id");
		assertThat(again).isNotEqualTo(id);
		assertThat(job).containsEntry("owner", owner).containsEntry("state", "QUEUED").containsEntry("resubmitOf", id);
		assertThat(retried.getResponseHeaders().getLocation()).hasPath("/admin/jobs/" + again);

		// The owner sees it, and a worker gets the same work again, from attempt 1
		this.http.get().uri("/api/jobs/{id}", again).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.state").isEqualTo("QUEUED")
			.jsonPath("$.resubmitOf").isEqualTo(id);
		assertThat(readAll(Topics.JOB_COMMANDS, new AvroDeserializer<>(SubmitJob.class), again)).singleElement()
			.satisfies((command) -> {
				assertThat(command.getOwner()).isEqualTo(owner);
				assertThat(command.getPayload()).isEqualTo("{\"steps\":3}");
				assertThat(command.getMaxAttempts()).isEqualTo(2);
				assertThat(command.getTimeoutMillis()).isEqualTo(30_000L);
				assertThat(command.getAttempt()).isEqualTo(1);
				assertThat(command.getResubmitOf()).isEqualTo(id);
			});
		assertThat(readAll(Topics.JOB_STATUS, new AvroDeserializer<>(JobStatusChanged.class), owner))
			.filteredOn((snapshot) -> snapshot.getJobId().equals(again))
			.extracting(JobStatusChanged::getState)
			.containsExactly(JobState.QUEUED);

		// A second retry (a double click, another operator) is the same new job
		this.http.post().uri("/admin/jobs/{id}/retry", id).headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isAccepted()
			.expectHeader().valueEquals("Idempotent-Replayed", "true")
			.expectBody().jsonPath("$.id").isEqualTo(again);
		this.http.post().uri("/admin/jobs/no-such-job/retry").headers((h) -> h.setBearerAuth(adminToken())).exchange()
			.expectStatus().isNotFound()
			.expectBody().jsonPath("$.type").isEqualTo(ApiProblem.JOB_NOT_FOUND.type().toString());
	}

	@Test
	void liveChangesCarryEveryOwnersJobsFromTheMomentTheStreamIsLive() {
		String owner = uniqueUser();
		Flux<ServerSentEvent<Map<String, Object>>> events = this.http.get()
			.uri("/admin/jobs/changes")
			.headers((h) -> h.setBearerAuth(adminToken()))
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isOk()
			.returnResult(EVENTS)
			.getResponseBody()
			.filter((event) -> "live".equals(event.event())
					|| (event.data() != null && owner.equals(event.data().get("owner"))));
		List<String> submitted = new CopyOnWriteArrayList<>();
		AtomicReference<Object> queued = new AtomicReference<>();
		StepVerifier.create(events)
			.assertNext((event) -> assertThat(event.event()).isEqualTo("live"))
			.then(() -> submitted.add(submit(owner, ApiRequests.A_JOB)))
			.assertNext((event) -> {
				// The stream may carry the job before the POST's answer has reached this test: compare below.
				assertThat(event.event()).isEqualTo("job");
				assertThat(event.data()).containsEntry("state", "QUEUED");
				queued.set(event.data().get("id"));
			})
			.then(() -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> !submitted.isEmpty());
				assertThat(queued.get()).isEqualTo(submitted.get(0));
				fail(owner, submitted.get(0));
			})
			.assertNext((event) -> assertThat(event.data()).containsEntry("id", submitted.get(0))
				.containsEntry("state", "FAILED"))
			.thenCancel()
			.verify(Duration.ofSeconds(20));
	}

	/** Ends a queued job FAILED as a worker would: attempt 1 failed, retries exhausted. */
	private void fail(String owner, String jobId) {
		Map<?, ?> job = this.http.get().uri("/api/jobs/{id}", jobId).headers((h) -> h.setBearerAuth(token(owner)))
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		SubmitJob command = SubmitJob.newBuilder()
			.setJobId(jobId)
			.setOwner(owner)
			.setType((String) job.get("type"))
			.setPayload("{}")
			.setSubmittedAt(Instant.parse((String) job.get("submittedAt")))
			.build();
		Instant now = Instant.now();
		JobStatusChanged failed = JobSnapshots.firstOf(command, 1, JobState.FAILED, now)
			.setMessage("Out of disk")
			.setError(new JobError("handler-error", "Out of disk", true))
			.build();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.JOB_STATUS, owner,
					new AvroSerializer<>(JobStatusChanged.class).serialize(Topics.JOB_STATUS, failed))).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String submit(String owner, String body) {
		return ApiRequests.submit(this.http, token(owner), body);
	}

	/** A page of {@code /admin/jobs?<query>}; each {@code {}} of it takes the next of {@code values}, encoded. */
	private Map<String, Object> page(String query, Object... values) {
		EntityExchangeResult<String> answer = this.http.get()
			.uri("/admin/jobs?" + query, values)
			.headers((h) -> h.setBearerAuth(adminToken()))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(answer.getStatus().value()).as("%s: %s", query, answer.getResponseBody()).isEqualTo(200);
		@SuppressWarnings("unchecked")
		Map<String, Object> page = json.readValue(answer.getResponseBody(), Map.class);
		return page;
	}

	private List<String> ids(String query, Object... values) {
		return idsOf(page(query + "&limit=200", values));
	}

	@SuppressWarnings("unchecked")
	private static List<String> idsOf(Map<String, Object> page) {
		return ((List<Map<String, Object>>) page.get("jobs")).stream().map((job) -> (String) job.get("id")).toList();
	}

	/** The values of {@code topic} under {@code key}, skipping values that are not ours to read. */
	private <V extends SpecificRecord> List<V> readAll(String topic, AvroDeserializer<V> values, String key) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		List<V> found = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				collect(consumer.poll(Duration.ofMillis(200)), values, key, found);
				assertThat(found).isNotEmpty();
			});
			collect(consumer.poll(Duration.ofMillis(300)), values, key, found);
		}
		return found;
	}

	private static <V extends SpecificRecord> void collect(
			org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records, AvroDeserializer<V> values,
			String key, List<V> found) {
		for (ConsumerRecord<String, byte[]> raw : records) {
			if (!key.equals(raw.key())) {
				continue;
			}
			try {
				found.add(values.deserialize(raw.topic(), raw.value()));
			}
			catch (SerializationException ex) {
				// Not a record of ours
			}
		}
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

	private String adminToken() {
		return this.tokens.sign("operator", Duration.ofMinutes(5), List.of("admin"));
	}

	private int partitionsOf(String topic) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			return consumer.partitionsFor(topic).size();
		}
	}

	/** A user whose jobs' status records go to {@code partition} (keyed by owner, the default partitioner). */
	private static String userOnPartition(int partition, int partitions) {
		String user;
		do {
			user = uniqueUser();
		}
		while (Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % partitions != partition);
		return user;
	}

	private static String uniqueUser() {
		return "user-" + UUID.randomUUID();
	}

}
