package io.inloop.api.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.inloop.api.ApiRequests;
import io.inloop.client.InloopApiException;
import io.inloop.client.InloopClient;
import io.inloop.client.Job;
import io.inloop.client.NewJob;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Java client (inloop-client) against this API over real HTTP, with a real broker behind it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class InloopClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	private TokenSigner tokens;

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void ledgerIsReady() {
		ApiRequests.awaitReady(this.http);
	}

	@Test
	void aServiceSubmitsForAUserWhoThenReadsListsAndCancelsTheJobAsTheirOwn() {
		String alice = unique("alice");
		InloopClient billing = client(service(unique("billing")));
		InloopClient asAlice = client(user(alice));

		Job queued = billing.submitFor(alice, "demo.steps", Map.of("steps", 3), null).block(TIMEOUT);
		assertThat(queued.owner()).isEqualTo(alice);
		assertThat(queued.state()).isEqualTo(Job.State.QUEUED);
		assertThat(queued.type()).isEqualTo("demo.steps");
		assertThat(queued.progress().done()).isZero();

		StepVerifier.create(asAlice.job(queued.id()))
			.assertNext((job) -> assertThat(job.owner()).isEqualTo(alice))
			.verifyComplete();
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(asAlice.jobs().block(TIMEOUT)).extracting(Job::id)
			.containsExactly(queued.id()));
		StepVerifier.create(billing.job(queued.id()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(InloopApiException.class,
					(problem) -> assertThat(problem.status()).as("the submitter cannot read it").isEqualTo(404)))
			.verify(TIMEOUT);
		StepVerifier.create(billing.cancel(queued.id()))
			.expectErrorSatisfies((ex) -> assertThat(((InloopApiException) ex).status()).isEqualTo(404))
			.verify(TIMEOUT);

		StepVerifier.create(asAlice.cancel(queued.id()))
			.assertNext((job) -> {
				assertThat(job.state()).isEqualTo(Job.State.CANCELLED);
				assertThat(job.isFinished()).isTrue();
			})
			.verifyComplete();
		await().atMost(TIMEOUT).untilAsserted(() -> StepVerifier.create(asAlice.cancel(queued.id()))
			.expectErrorSatisfies((ex) -> assertThat(((InloopApiException) ex).status()).isEqualTo(409))
			.verify(TIMEOUT));
	}

	@Test
	void namingAnotherOwnerWithoutTheScopeIsAForbiddenProblem() {
		StepVerifier.create(client(user(unique("mallory"))).submitFor(unique("alice"), "demo.steps", Map.of(), null))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(InloopApiException.class, (problem) -> {
				assertThat(problem.status()).isEqualTo(403);
				assertThat(problem.title()).isEqualTo("Forbidden");
				assertThat(problem.detail()).contains("jobs:submit-for");
				assertThat(problem.type()).isEqualTo(URI.create("https://inloop.dev/problems/forbidden"));
				assertThat(problem.instance()).isEqualTo("/api/jobs");
				assertThat(problem.isRetryable()).isFalse();
			}))
			.verify(TIMEOUT);
	}

	@Test
	void theSameIdempotencyKeyReturnsTheFirstJobAndAnotherOwnersIsApart() {
		InloopClient billing = client(service(unique("billing")));
		String alice = unique("alice");

		Job first = billing.submitFor(alice, "demo.steps", Map.of(), "invoice-7").block(TIMEOUT);
		Job again = billing.submitFor(alice, "demo.steps", Map.of(), "invoice-7").block(TIMEOUT);
		Job bobs = billing.submitFor(unique("bob"), "demo.steps", Map.of(), "invoice-7").block(TIMEOUT);

		assertThat(again.id()).isEqualTo(first.id());
		assertThat(bobs.id()).isNotEqualTo(first.id());
	}

	@Test
	void theCallersOwnJobsAndTheSettingsOfANewJobReachTheApi() {
		String carol = unique("carol");
		InloopClient asCarol = client(user(carol));

		StepVerifier.create(asCarol.submit("demo.fail", Map.of("message", "Out of disk"), null))
			.assertNext((job) -> assertThat(job.owner()).isEqualTo(carol))
			.verifyComplete();
		StepVerifier.create(asCarol.submit(NewJob.of("demo.steps").withMaxAttempts(5).withTimeout(Duration.ofMinutes(1))))
			.assertNext((job) -> assertThat(job.state()).isEqualTo(Job.State.QUEUED))
			.verifyComplete();
		StepVerifier.create(asCarol.submit(NewJob.of("demo.steps").withTimeout(Duration.ofDays(3))))
			.expectErrorSatisfies((ex) -> assertThat(((InloopApiException) ex).detail()).contains("\"timeout\""))
			.verify(TIMEOUT);
		StepVerifier.create(asCarol.submit("no.such.type", Map.of(), null))
			.expectErrorSatisfies((ex) -> {
				assertThat(((InloopApiException) ex).status()).isEqualTo(400);
				assertThat(((InloopApiException) ex).detail()).contains("no.such.type").contains("demo.steps");
			})
			.verify(TIMEOUT);
	}

	@Test
	void theTokenIsAskedForOnEveryCallSoARenewedOneIsUsed() {
		String dave = unique("dave");
		AtomicReference<String> current = new AtomicReference<>(
				this.tokens.sign(dave, Instant.now().minusSeconds(120), List.of()));
		InloopClient asDave = InloopClient.create("http://localhost:" + this.port, current::get);

		StepVerifier.create(asDave.jobs())
			.expectErrorSatisfies((ex) -> assertThat(((InloopApiException) ex).status()).isEqualTo(401))
			.verify(TIMEOUT);
		current.set(user(dave));
		StepVerifier.create(asDave.jobs()).assertNext((jobs) -> assertThat(jobs).isEmpty()).verifyComplete();
	}

	private InloopClient client(String token) {
		return InloopClient.create("http://localhost:" + this.port, () -> token);
	}

	private String service(String name) {
		return this.tokens.sign(name, Duration.ofMinutes(5), List.of("jobs:submit-for"));
	}

	private String user(String name) {
		return this.tokens.sign(name, Duration.ofMinutes(5), List.of());
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID();
	}

}
