package io.inloop.system;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier killed with 1,000 clients connected, mid-flow: every client that resumes with its
 * last cursor ends up with exactly the stream of a client that stayed connected (to a second
 * notifier) the whole time: nothing lost, nothing twice. docs/reliability.md quotes its figures.
 */
class NotifierRestartIT {

	private static final int USERS = 100;

	/** Within the notifier's per-user limit (16). */
	private static final int CONNECTIONS_PER_USER = 10;

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@Test
	void everyClientResumedAfterANotifierCrashGetsWhatAClientThatStayedGets() throws Exception {
		URI restarted = system.notifierWebSocket();
		URI stays = system.secondNotifierWebSocket();
		Map<String, String> tokens = new LinkedHashMap<>();
		for (int i = 0; i < USERS; i++) {
			String user = "crowd-" + i + "-" + UUID.randomUUID();
			tokens.put(user, system.token(user));
		}
		Map<String, FrameRecorder> reference = new LinkedHashMap<>();
		Map<String, List<FrameRecorder>> crowd = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, String> user : tokens.entrySet()) {
				reference.put(user.getKey(), FrameRecorder.open(stays, user.getValue(), null));
				List<FrameRecorder> clients = new ArrayList<>();
				for (int c = 0; c < CONNECTIONS_PER_USER; c++) {
					clients.add(FrameRecorder.open(restarted, user.getValue(), null));
				}
				crowd.put(user.getKey(), clients);
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> reference.values().stream().allMatch(FrameRecorder::isLive)
						&& crowd.values().stream().allMatch((clients) -> clients.stream().allMatch(FrameRecorder::isLive)));
			Map<String, String> jobs = new LinkedHashMap<>();
			tokens.forEach((user, token) -> jobs.put(user,
					api.submitAccepted(token, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":8,\"delayMs\":150}}")));
			String first = tokens.keySet().iterator().next();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> crowd.get(first).get(0).jobs(jobs.get(first)).size() >= 3);

			system.killNotifier();
			Map<FrameRecorder, List<String>> before = new LinkedHashMap<>();
			crowd.values().forEach((clients) -> clients.forEach((client) -> before.put(client, client.allCursors())));
			crowd.values().forEach((clients) -> clients.forEach(FrameRecorder::close));
			system.startNotifierAgain();

			long resumeStarted = System.nanoTime();
			Map<String, List<FrameRecorder>> resumed = new LinkedHashMap<>();
			Map<FrameRecorder, FrameRecorder> resumedFrom = new LinkedHashMap<>();
			for (Map.Entry<String, List<FrameRecorder>> user : crowd.entrySet()) {
				List<FrameRecorder> again = new ArrayList<>();
				for (FrameRecorder client : user.getValue()) {
					List<String> cursors = before.get(client);
					assertThat(cursors).as("frames before the crash").isNotEmpty();
					FrameRecorder next = FrameRecorder.open(restarted, tokens.get(user.getKey()), cursors.get(cursors.size() - 1));
					again.add(next);
					resumedFrom.put(next, client);
				}
				resumed.put(user.getKey(), again);
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> resumed.values().stream().allMatch((clients) -> clients.stream().allMatch(FrameRecorder::isLive)));
			Duration allResumed = Duration.ofNanos(System.nanoTime() - resumeStarted);

			for (Map.Entry<String, String> job : jobs.entrySet()) {
				await().atMost(Duration.ofSeconds(120)).until(() -> reference.get(job.getKey()).endsWith(job.getValue(), "SUCCEEDED"));
			}
			// Each resumed client's stream, before the crash and after, equals the reference's: once it has caught up
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				for (Map.Entry<String, List<FrameRecorder>> user : resumed.entrySet()) {
					String job = jobs.get(user.getKey());
					List<String> expected = reference.get(user.getKey()).cursors(job);
					for (FrameRecorder client : user.getValue()) {
						List<String> stream = new ArrayList<>(resumedFrom.get(client).cursors(job));
						stream.addAll(client.cursors(job));
						assertThat(stream).as("a resumed client's stream of %s (before the crash: %s)", job,
								resumedFrom.get(client).cursors(job)).containsExactlyElementsOf(expected);
					}
				}
			});
			long compared = 0;
			for (Map.Entry<String, List<FrameRecorder>> user : resumed.entrySet()) {
				String job = jobs.get(user.getKey());
				assertThat(reference.get(user.getKey()).jobs(job)).extracting((frame) -> frame.get("state").asString())
					.containsOnlyOnce("SUCCEEDED")
					.startsWith("QUEUED");
				compared += user.getValue().size();
			}
			assertThat(compared).isEqualTo((long) USERS * CONNECTIONS_PER_USER);
			System.out.printf("NotifierRestartIT: %d clients killed mid-flow, all resumed within %d ms; %d jobs, "
					+ "each stream equal to a client that stayed (0 lost, 0 twice)%n", compared, allResumed.toMillis(),
					jobs.size());
			resumed.values().forEach((clients) -> clients.forEach(FrameRecorder::close));
		}
		finally {
			reference.values().forEach(FrameRecorder::close);
			crowd.values().forEach((clients) -> clients.forEach(FrameRecorder::close));
		}
	}

}
