package io.inloop.system;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two notifier processes on one broker: a browser may move between them mid-job and miss nothing. */
class NotifierHandoverIT {

	private static InloopSystem system;

	private static ApiClient api;

	private static URI second;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
		second = system.secondNotifierWebSocket();
	}

	@Test
	void clientMovedToAnotherNotifierWithItsCursorMidJobGetsWhatAClientThatStayedGets() throws Exception {
		String alice = "alice-" + UUID.randomUUID();
		String token = system.token(alice);
		try (FrameRecorder stayed = FrameRecorder.connect(system.notifierWebSocket(), token)) {
			FrameRecorder moving = FrameRecorder.connect(system.notifierWebSocket(), token);
			String job = api.submitAccepted(token, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":30,\"delayMs\":100}}");
			await().atMost(Duration.ofSeconds(30)).until(() -> moving.jobs(job).size() >= 4);
			moving.closeAndAwait();
			List<String> received = new ArrayList<>(moving.cursors(job));
			assertThat(moving.endsWith(job, "SUCCEEDED")).as("the move happens mid-job").isFalse();

			try (FrameRecorder moved = FrameRecorder.resume(second, token,
					received.get(received.size() - 1))) {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> moved.endsWith(job, "SUCCEEDED") && stayed.endsWith(job, "SUCCEEDED"));
				assertThat(moved.cursors(job)).as("frames after the move").isNotEmpty();
				received.addAll(moved.cursors(job));
			}
			assertThat(received).as("the moved client's stream").containsExactlyElementsOf(stayed.cursors(job));
			assertThat(stayed.jobs(job)).extracting((frame) -> frame.get("state").asString())
				.startsWith("QUEUED", "RUNNING")
				.endsWith("SUCCEEDED");
		}
	}

}
