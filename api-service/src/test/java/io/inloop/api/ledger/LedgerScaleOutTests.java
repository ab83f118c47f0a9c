package io.inloop.api.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.inloop.api.ApiRequests;
import io.inloop.api.ApiServiceApplication;
import io.inloop.security.TokenSigner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.util.TestSocketUtils;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two api-service instances share one ledger (same application id), each holding some of its
 * partitions: through either, an owner reads, lists, cancels and submits idempotently as through the
 * one that holds the owner's partition, and a forwarded request is never forwarded again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerScaleOutTests {

	private final String ledger = "inloop-api-ledger-scale-out-" + UUID.randomUUID();

	private Instance a;

	private Instance b;

	@BeforeAll
	void startTwoInstances() {
		this.a = Instance.start("a", this.ledger);
		this.b = Instance.start("b", this.ledger);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.a.holdsPartitions() && this.b.holdsPartitions()
				&& this.a.seesInstances(2) && this.b.seesInstances(2));
		ApiRequests.awaitReady(this.a.http());
		ApiRequests.awaitReady(this.b.http());
	}

	@AfterAll
	void stop() {
		Stream.of(this.a, this.b).filter((instance) -> instance != null).forEach(Instance::close);
	}

	@Test
	void eitherInstanceReadsListsAndCancelsTheJobsOfAnOwnerWhosePartitionTheOtherHolds() {
		String owner = ownerHeldBy(this.b);
		String token = this.a.token(owner);
		String first = ApiRequests.submit(this.b.http(), token, ApiRequests.A_JOB);
		// Accepted by a, whose ledger does not hold the owner: read back through a at once (read your writes)
		String second = ApiRequests.submit(this.a.http(), token, ApiRequests.A_JOB);
		assertThat(ids(list(this.a, token))).contains(second);
		assertThat(job(this.a, token, second).getStatus()).isEqualTo(HttpStatus.OK);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(ids(list(this.a, token))).containsExactlyInAnyOrder(first, second);
			assertThat(list(this.a, token)).isEqualTo(list(this.b, token));
		});
		for (String id : List.of(first, second)) {
			assertThat(job(this.a, token, id).getResponseBody()).isEqualTo(job(this.b, token, id).getResponseBody())
				.contains("\"id\":\"" + id + "\"");
		}

		this.a.http().post().uri("/api/jobs/{id}/cancel", first).headers((h) -> h.setBearerAuth(token)).exchange()
			.expectStatus().isAccepted()
			.expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (Instance instance : List.of(this.a, this.b)) {
				assertThat(job(instance, token, first).getResponseBody()).contains("\"state\":\"CANCELLED\"");
			}
		});
		for (Instance instance : List.of(this.a, this.b)) {
			instance.http().post().uri("/api/jobs/{id}/cancel", first).headers((h) -> h.setBearerAuth(token))
				.exchange()
				.expectStatus().isEqualTo(HttpStatus.CONFLICT)
				.expectBody().jsonPath("$.type").isEqualTo("https://inloop.dev/problems/job-already-ended");
		}
	}

	@Test
	void anIdempotentSubmissionThroughEitherInstanceMakesOneJob() {
		String owner = ownerHeldBy(this.b);
		String token = this.a.token(owner);
		String key = "order-" + UUID.randomUUID();

		// Made by the holder: an instance that did not forward would make another job of the same id
		EntityExchangeResult<Map> made = submit(this.b, token, key);
		assertThat(made.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("false");
		String id = (String) made.getResponseBody().get("id");
		assertThat(made.getResponseHeaders().getLocation()).hasToString("/api/jobs/" + id);

		for (Instance instance : List.of(this.a, this.b, this.a)) {
			EntityExchangeResult<Map> again = submit(instance, token, key);
			assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
			assertThat(again.getResponseBody().get("id")).isEqualTo(id);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids(list(this.a, token)))
			.containsExactly(id).isEqualTo(ids(list(this.b, token))));
	}

	@Test
	void anOwnerHeldHereIsAnsweredHereAndOneHeldByTheOtherIsAnsweredAlike() {
		String here = ownerHeldBy(this.a);
		String token = this.a.token(here);
		String id = ApiRequests.submit(this.a.http(), token, ApiRequests.A_JOB);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(job(this.b, token, id).getResponseBody())
			.isEqualTo(job(this.a, token, id).getResponseBody()));
		this.b.http().get().uri("/api/jobs/{id}", "no-such-job").headers((h) -> h.setBearerAuth(token)).exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://inloop.dev/problems/job-not-found");
	}

	@Test
	void aForwardedRequestToAnInstanceThatDoesNotHoldThePartitionIsRefusedNotForwardedAgain() {
		String owner = ownerHeldBy(this.b);
		String token = this.a.token(owner);
		String id = ApiRequests.submit(this.b.http(), token, ApiRequests.A_JOB);

		this.a.http().get().uri("/api/jobs/{id}", id)
			.headers((h) -> {
				h.setBearerAuth(token);
				h.set(LedgerPeers.FORWARDED, "localhost:1");
			})
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://inloop.dev/problems/ledger-unavailable");
		this.a.http().get().uri("/api/jobs")
			.headers((h) -> {
				h.setBearerAuth(token);
				h.set(LedgerPeers.FORWARDED, "localhost:1");
			})
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void anOperatorListsFindsAndCancelsEveryOwnersJobsThroughEitherInstance() {
		Instant from = Instant.now().minusMillis(1);
		String onA = ownerHeldBy(this.a);
		String onB = ownerHeldBy(this.b);
		List<String> submitted = new ArrayList<>();
		for (String owner : List.of(onA, onB, onA, onB)) {
			submitted.add(ApiRequests.submit(this.a.http(), this.a.token(owner), ApiRequests.A_JOB));
		}
		String admin = this.a.admin();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(jobs(adminPage(this.a, admin, from, 10, null))).hasSize(4));
		List<Object> newestFirst = ids(jobs(adminPage(this.a, admin, from, 10, null)));
		assertThat(newestFirst).containsExactlyInAnyOrderElementsOf(submitted);
		assertThat(ids(jobs(adminPage(this.b, admin, from, 10, null)))).isEqualTo(newestFirst);
		// A page at a time, each instance's cursor on the other: the same jobs in the same order
		List<Object> paged = new ArrayList<>();
		String cursor = null;
		for (Instance instance : List.of(this.a, this.b, this.a, this.b, this.a)) {
			Map<String, Object> page = adminPage(instance, admin, from, 1, cursor);
			paged.addAll(ids(jobs(page)));
			cursor = (String) page.get("next");
			if (cursor == null) {
				break;
			}
		}
		assertThat(paged).isEqualTo(newestFirst);

		String ofB = submitted.get(1);
		for (Instance instance : List.of(this.a, this.b)) {
			instance.http().get().uri("/admin/jobs/{id}", ofB).headers((h) -> h.setBearerAuth(admin)).exchange()
				.expectStatus().isOk()
				.expectBody().jsonPath("$.owner").isEqualTo(onB);
			instance.http().get().uri("/admin/jobs/{id}", "no-such-job").headers((h) -> h.setBearerAuth(admin))
				.exchange()
				.expectStatus().isNotFound()
				.expectBody().jsonPath("$.type").isEqualTo("https://inloop.dev/problems/job-not-found");
		}
		this.a.http().post().uri("/admin/jobs/{id}/cancel", ofB).headers((h) -> h.setBearerAuth(admin)).exchange()
			.expectStatus().isAccepted()
			.expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
	}

	@Test
	void anOperatorFollowsTheChangesOfEveryInstancesPartitionsThroughEither() {
		String onB = ownerHeldBy(this.b);
		Flux<ServerSentEvent<String>> changes = this.a.http().get().uri("/admin/jobs/changes")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((h) -> h.setBearerAuth(this.a.admin()))
			.exchange()
			.expectStatus().isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			.getResponseBody();

		StepVerifier.create(changes.filter((event) -> event.event() != null))
			.expectNextMatches((event) -> "live".equals(event.event()))
			.then(() -> ApiRequests.submit(this.b.http(), this.b.token(onB), ApiRequests.A_JOB))
			.thenConsumeWhile((event) -> event.data() == null || !event.data().contains(onB))
			.expectNextMatches((event) -> "job".equals(event.event()) && event.data().contains("\"QUEUED\""))
			.thenCancel()
			.verify(Duration.ofSeconds(20));
	}

	/** An owner whose ledger partition {@code instance} holds. */
	private String ownerHeldBy(Instance instance) {
		return Stream.generate(() -> "user-" + UUID.randomUUID())
			.filter((owner) -> instance.holds(owner))
			.findFirst()
			.orElseThrow();
	}

	private static EntityExchangeResult<String> job(Instance instance, String token, String id) {
		return instance.http().get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token)).exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static List<Map<String, Object>> list(Instance instance, String token) {
		return instance.http().get().uri("/api/jobs").headers((h) -> h.setBearerAuth(token)).exchange()
			.expectStatus().isOk()
			.expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	private static Map<String, Object> adminPage(Instance instance, String token, Instant from, int limit,
			@Nullable String cursor) {
		return instance.http().get()
			.uri((uri) -> uri.path("/admin/jobs")
				.queryParam("from", from.toString())
				.queryParam("limit", limit)
				.queryParamIfPresent("cursor", Optional.ofNullable(cursor))
				.build())
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus().isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> jobs(Map<String, Object> page) {
		return (List<Map<String, Object>>) page.get("jobs");
	}

	private static List<Object> ids(List<Map<String, Object>> jobs) {
		return jobs.stream().map((job) -> job.get("id")).toList();
	}

	@SuppressWarnings("rawtypes")
	private static EntityExchangeResult<Map> submit(Instance instance, String token, String key) {
		return instance.http().post().uri("/api/jobs")
			.headers((h) -> {
				h.setBearerAuth(token);
				h.set("Idempotency-Key", key);
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(ApiRequests.A_JOB)
			.exchange()
			.expectStatus().isAccepted()
			.expectBody(Map.class)
			.returnResult();
	}

	/** One api-service, on a port of its own, advertising it to the other. */
	private record Instance(ConfigurableApplicationContext context, HostInfo host, WebTestClient http) {

		static Instance start(String name, String ledger) {
			int port = TestSocketUtils.findAvailableTcpPort();
			ConfigurableApplicationContext context = new SpringApplicationBuilder(ApiServiceApplication.class)
				.profiles("test")
				.run("--server.port=" + port, "--spring.kafka.streams.application-id=" + ledger,
						"--inloop.ledger.advertised-address=localhost:" + port,
						"--inloop.ledger.membership.instance-id=" + ledger + "-" + name);
			return new Instance(context, new HostInfo("localhost", port),
					WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
						.responseTimeout(Duration.ofSeconds(20))
						.build());
		}

		KafkaStreams streams() {
			return this.context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
		}

		boolean holdsPartitions() {
			KafkaStreams streams = streams();
			return streams != null && streams.state() == KafkaStreams.State.RUNNING && streams.metadataForLocalThreads()
				.stream()
				.anyMatch((thread) -> !thread.activeTasks().isEmpty());
		}

		boolean seesInstances(int count) {
			return streams().streamsMetadataForStore(LedgerTopology.STORE)
				.stream()
				.map(StreamsMetadata::hostInfo)
				.distinct()
				.count() == count;
		}

		boolean holds(String owner) {
			return this.host.equals(streams().queryMetadataForKey(LedgerTopology.STORE, owner, new StringSerializer())
				.activeHost());
		}

		String token(String user) {
			return this.context.getBean(TokenSigner.class).sign(user, Duration.ofMinutes(5), List.of());
		}

		String admin() {
			return this.context.getBean(TokenSigner.class).sign("operator", Duration.ofMinutes(5), List.of("admin"));
		}

		void close() {
			this.context.close();
		}

	}

}
