package io.inloop.api.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.history.ReadBacks;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read-back limits over HTTP: refusals are 429 problem+json with Retry-After, and job reads never wait behind read-backs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class ReadBackLimitsTests {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(ReadBackLimitsTests.class);

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private ReadBacks readBacks;

	private final CountDownLatch broker = new CountDownLatch(1);

	private final List<Disposable> held = new ArrayList<>();

	@AfterEach
	void release() {
		this.broker.countDown();
		this.held.forEach(Disposable::dispose);
		await().until(() -> this.readBacks.underWay() == 0);
	}

	@Test
	void jobReadsAnswerAtOnceWhileEveryReadBackIsBusyAndFurtherReadBacksGet429WithRetryAfter() {
		String owner = "reader-" + UUID.randomUUID();
		String id = submit(owner);
		// The ledger serving (not only this instance's read-your-writes memory): the list needs the store
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(owner)))
				.exchange().returnResult(String.class).getStatus().is2xxSuccessful()
					&& this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(token(owner)))
						.exchange().returnResult(String.class).getStatus().is2xxSuccessful());
		// The owner holds as many read-backs as a user may and others the rest of the instance's, every
		// one stuck opening (a slow broker), each on a read-back thread.
		int perUser = this.readBacks.limits().perUser();
		for (int i = 0; i < this.readBacks.limits().perInstance(); i++) {
			this.held.add(this.readBacks.read((i < perUser) ? owner : "other-" + i, () -> {
				this.broker.await(30, TimeUnit.SECONDS);
				throw new IllegalStateException("broker gone");
			}).onErrorComplete().subscribe());
		}
		await().until(() -> this.readBacks.underWay() == this.readBacks.limits().perInstance());

		List<Duration> took = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long started = System.nanoTime();
			this.http.get().uri("/api/jobs/{id}", id).headers((h) -> h.setBearerAuth(token(owner))).exchange()
				.expectStatus().isOk();
			this.http.get().uri("/api/jobs").headers((h) -> h.setBearerAuth(token(owner))).exchange()
				.expectStatus().isOk();
			took.add(Duration.ofNanos(System.nanoTime() - started));
		}
		took.sort(null);
		logger.info("A job read and a list while every read-back is busy: median {} ms, max {} ms", took.get(10).toMillis(),
				took.get(19).toMillis());
		assertThat(took.get(19)).isLessThan(Duration.ofSeconds(1));
		refused(token(owner), "/api/jobs/" + id + "/events", "per user");
		refused(this.tokens.sign("sre", Duration.ofMinutes(5), List.of("admin")), "/admin/events?owner=" + owner,
				"as much history as it may");

		this.broker.countDown();
		await().until(() -> this.readBacks.underWay() == 0);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.http.get()
			.uri("/api/jobs/{id}/events", id).headers((h) -> h.setBearerAuth(token(owner))).exchange()
			.expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody()).contains("\"id\":\"" + id + "\""));
	}

	private void refused(String token, String path, String detail) {
		WebTestClient.ResponseSpec response = this.http.get().uri(path).headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		String body = response.expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("\"status\":429").contains(detail)
			.contains("\"type\":\"" + ApiProblem.TOO_MANY_READ_BACKS.type() + "\"");
	}

	private String submit(String owner) {
		return ApiRequests.submit(this.http, token(owner), ApiRequests.A_JOB);
	}

	private String token(String user) {
		return this.tokens.sign(user, Duration.ofMinutes(5), List.of());
	}

}
