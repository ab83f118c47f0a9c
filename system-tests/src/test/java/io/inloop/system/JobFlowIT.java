package io.inloop.system;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** A job's whole way: HTTP request, Kafka, worker, Kafka, notifier, the owner's WebSocket. */
class JobFlowIT {

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@Test
	void stepsJobReachesItsOwnerInOrderAndNobodyElse() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String bob = "bob-" + UUID.randomUUID();
		try (FrameRecorder alicesBrowser = FrameRecorder.connect(system.notifierWebSocket(), system.token(alice));
				FrameRecorder bobsBrowser = FrameRecorder.connect(system.notifierWebSocket(), system.token(bob))) {

			String job = api.submitAccepted(system.token(alice),
					"{\"type\":\"demo.steps\",\"payload\":{\"steps\":5,\"delayMs\":20}}");
			String bobsJob = api.submitAccepted(system.token(bob), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":1}}");

			await().atMost(Duration.ofSeconds(30)).until(() -> alicesBrowser.endsWith(job, "SUCCEEDED"));
			await().atMost(Duration.ofSeconds(30)).until(() -> bobsBrowser.endsWith(bobsJob, "SUCCEEDED"));

			List<JsonNode> seen = alicesBrowser.jobs(job);
			assertThat(seen).extracting((frame) -> frame.get("state").asString())
				.containsExactly("QUEUED", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING",
						"SUCCEEDED");
			assertThat(seen.subList(2, 7)).extracting((frame) -> frame.get("progress").get("done").asLong())
				.containsExactly(1L, 2L, 3L, 4L, 5L);
			assertThat(seen).allSatisfy((frame) -> {
				assertThat(frame.get("id").asString()).isEqualTo(job);
				assertThat(frame.get("owner").asString()).isEqualTo(alice);
				assertThat(frame.get("progress").has("total")).isTrue();
				assertThat(frame.has("message")).isTrue();
			});
			assertThat(alicesBrowser.jobFrames()).allSatisfy((frame) -> {
				assertThat(frame.get("type").asString()).isEqualTo("job");
				assertThat(frame.get("cursor").asString()).matches("\\d+-\\d+");
				assertThat(frame.get("job").get("owner").asString()).isEqualTo(alice);
			});
			assertThat(bobsBrowser.jobs(job)).as("bob sees nothing of alice's job").isEmpty();
			assertThat(bobsBrowser.jobFrames()).allSatisfy(
					(frame) -> assertThat(frame.get("job").get("owner").asString()).isEqualTo(bob));
			assertThat(api.job(system.token(alice), job).json().get("state").asString()).isEqualTo("SUCCEEDED");
		}
	}

	@Test
	void failingJobEndsFailedWithTheHandlersMessageForItsOwner() throws Exception {
		String carol = "carol-" + UUID.randomUUID();
		try (FrameRecorder browser = FrameRecorder.connect(system.notifierWebSocket(), system.token(carol))) {

			String job = api.submitAccepted(system.token(carol),
					"{\"type\":\"demo.fail\",\"payload\":{\"message\":\"The export server is out of disk\"}}");

			await().atMost(Duration.ofSeconds(30)).until(() -> browser.endsWith(job, "FAILED"));
			JsonNode failed = browser.jobs(job).get(browser.jobs(job).size() - 1);
			assertThat(failed.get("error").get("message").asString()).isEqualTo("The export server is out of disk");
			assertThat(failed.get("error").get("code").asString()).isNotBlank();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(api.job(system.token(carol), job).json().get("state").asString())
					.isEqualTo("FAILED"));
		}
	}

	@Test
	void requestWithoutATokenIsUnauthorized() {
		ApiClient.Response response = api.submit(null, "{\"type\":\"demo.steps\"}");

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void requestWithAForgedTokenIsUnauthorized() {
		assertThat(api.submit(system.forgedToken("alice"), "{\"type\":\"demo.steps\"}").status()).isEqualTo(401);
	}

	@Test
	void webSocketWithoutAValidTokenIsRefused() throws Exception {
		URI ws = system.notifierWebSocket();
		URI forged = URI.create(ws + "?access_token=" + system.forgedToken("alice"));
		URI garbage = URI.create(ws + "?access_token=not-a-jwt");

		for (String token : List.of(system.forgedToken("alice"), "not-a-jwt")) {
			FrameRecorder recorder = FrameRecorder.authenticating(ws, token);
			assertThat(recorder.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4401);
			assertThat(recorder.jobFrames()).isEmpty();
		}
		for (URI uri : List.of(forged, garbage)) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> FrameRecorder.attempt(uri).get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(401));
		}
	}

}
