package io.inloop.notifier.websocket;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.notifier.subscriptions.Connections;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.inloop.notifier.Frames.cursors;
import static io.inloop.notifier.Frames.isLive;
import static io.inloop.notifier.Frames.jobs;
import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.cursorOf;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Resume by cursor from the in-memory window, snapshots, slow clients, expiry and limits, over /ws. */
@NotifierTest
class WebSocketResumeTests {

	private static Producer<String, JobStatusChanged> events;

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private Connections connections;

	@Autowired
	private StatusFeed feed;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void createTopics() {
		StatusTopic.create();
		events = StatusTopic.events();
	}

	@AfterAll
	static void closeProducer() {
		events.close();
	}

	@BeforeEach
	void awaitFeed() {
		await().atMost(Duration.ofSeconds(20)).until(this.feed::isCaughtUp);
	}

	@Test
	void clientThatReconnectsWithItsLastCursorGetsEveryEventOnceInOrder() {
		String alice = unique("alice");
		List<String> sent = new ArrayList<>();
		List<JsonNode> received = new ArrayList<>();
		try (WebSocketClient first = connect(alice, "")) {
			await().until(() -> isLive(first.frames()));
			for (int sequence = 0; sequence < 3; sequence++) {
				sent.add(cursorOf(progress(alice, "job-1", sequence)));
			}
			await().until(() -> jobs(first.frames()).size() == 3);
			received.addAll(jobs(first.frames()));
		}
		// The job goes on while the client is away.
		for (int sequence = 3; sequence < 6; sequence++) {
			sent.add(cursorOf(progress(alice, "job-1", sequence)));
		}
		String last = cursors(received).get(received.size() - 1);
		try (WebSocketClient second = connect(alice, "?since=" + last)) {
			await().until(() -> isLive(second.frames()));
			sent.add(cursorOf(send(events, Topics.JOB_STATUS, alice,
					aSnapshot(alice, "job-1", JobState.SUCCEEDED, 1, 6).build())));
			await().until(() -> jobs(second.frames()).size() == 4);
			received.addAll(jobs(second.frames()));
			assertThat(second.frames().get(3).get("type").asString()).as("live after the missed ones").isEqualTo("live");
		}
		assertThat(cursors(received)).containsExactlyElementsOf(sent);
	}

	@Test
	void firstConnectionGetsTheLatestSnapshotOfEachJobThenLiveEvents() {
		String carol = unique("carol");
		RecordMetadata job1;
		RecordMetadata job2;
		try (WebSocketClient watcher = connect(carol, "")) {
			await().until(() -> isLive(watcher.frames()));
			progress(carol, "job-1", 0);
			job1 = progress(carol, "job-1", 1);
			job2 = send(events, Topics.JOB_STATUS, carol, aSnapshot(carol, "job-2", JobState.FAILED, 1, 0).build());
			// Once the watcher has it, so has the notifier.
			await().until(() -> cursors(watcher.frames()).contains(cursorOf(job2)));
		}
		try (WebSocketClient client = connect(carol, "")) {
			await().until(() -> isLive(client.frames()));
			List<JsonNode> frames = client.frames();
			assertThat(frames.get(0).get("type").asString()).isEqualTo("snapshot");
			assertThat(frames.get(0).get("jobs").asInt()).isEqualTo(2);
			assertThat(frames.get(0).has("recovered")).isFalse();
			assertThat(cursors(frames)).containsExactly(cursorOf(job1), cursorOf(job2));
			RecordMetadata live = progress(carol, "job-1", 2);
			await().until(() -> cursors(client.frames()).contains(cursorOf(live)));
		}
	}

	@Test
	void staleAndAfterTheEndEventsAreDropped() {
		String dave = unique("dave");
		try (WebSocketClient client = connect(dave, "")) {
			await().until(() -> isLive(client.frames()));
			RecordMetadata running = progress(dave, "job-1", 1);
			progress(dave, "job-1", 1); // A duplicate: same version.
			send(events, Topics.JOB_STATUS, dave, aSnapshot(dave, "job-1", JobState.QUEUED, 0, 0).build());
			RecordMetadata done = send(events, Topics.JOB_STATUS, dave,
					aSnapshot(dave, "job-1", JobState.SUCCEEDED, 1, 2).build());
			progress(dave, "job-1", 3); // After the end.
			RecordMetadata other = progress(dave, "job-2", 0);
			await().until(() -> cursors(client.frames()).contains(cursorOf(other)));
			assertThat(cursors(client.frames())).containsExactly(cursorOf(running), cursorOf(done), cursorOf(other));
		}
	}

	@Test
	void clientThatStopsReadingHasItsProgressMergedKeepsItsEndAndIsClosedAsTooSlow() {
		String slow = unique("slow");
		String other = unique("other");
		long conflatedBefore = (long) this.meters.get("inloop.notifier.frames.conflated").counter().count();
		try (WebSocketClient stuck = connect(slow, ""); WebSocketClient fine = connect(other, "")) {
			await().until(() -> isLive(stuck.frames()) && isLive(fine.frames()));
			stuck.pause();
			// Big frames fill the socket buffers quickly; then frames wait in the connection's queue.
			String big = "x".repeat(512 * 1024);
			List<String> sent = new ArrayList<>();
			for (int sequence = 0; sequence < 40; sequence++) {
				sent.add(cursorOf(send(events, Topics.JOB_STATUS, slow,
						aSnapshot(slow, "job-1", JobState.RUNNING, 1, sequence).setMessage(big).build())));
				RecordMetadata mine = progress(other, "job-9", sequence);
				// The stuck client slows no one else down.
				await().atMost(Duration.ofSeconds(2)).until(() -> cursors(fine.frames()).contains(cursorOf(mine)));
				assertThat(this.connections.pending(slow)).isLessThanOrEqualTo(4);
			}
			RecordMetadata end = send(events, Topics.JOB_STATUS, slow,
					aSnapshot(slow, "job-1", JobState.SUCCEEDED, 1, 40).build());
			sent.add(cursorOf(end));
			await().until(() -> this.meters.get("inloop.notifier.frames.conflated").counter().count() > conflatedBefore);
			assertThat(this.connections.pending(slow)).isBetween(1, 4);

			stuck.resume();
			await().atMost(Duration.ofSeconds(20)).until(() -> cursors(stuck.frames()).contains(cursorOf(end)));
			List<String> received = cursors(stuck.frames());
			assertThat(received).as("merged, in order, ending with the terminal frame")
				.hasSizeLessThan(sent.size())
				.isSubsetOf(sent)
				.isSortedAccordingTo((a, b) -> Long.compare(offset(a), offset(b)))
				.endsWith(cursorOf(end));

			// Past the limit: more pending jobs than the queue holds, none to merge with.
			stuck.pause();
			for (int job = 0; job < 40; job++) {
				send(events, Topics.JOB_STATUS, slow,
						aSnapshot(slow, "job-" + (100 + job), JobState.RUNNING, 1, 0).setMessage(big).build());
			}
			stuck.resume();
			assertThat(stuck.closed()).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(4008);
		}
	}

	@Test
	void connectionIsClosedWhenItsTokenExpires() {
		String erin = unique("erin");
		String token = this.tokens.sign(erin, Instant.now().plusSeconds(2), List.of());
		WebSocketClient client = WebSocketClient.connect(ws("?access_token=" + token), Map.of());
		assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4001);
	}

	@Test
	void connectionsBeyondTheUserLimitAreClosed() {
		String frank = unique("frank");
		try (WebSocketClient one = connect(frank, ""); WebSocketClient two = connect(frank, "");
				WebSocketClient three = connect(frank, "")) {
			await().until(() -> this.connections.count(frank) == 3);
			WebSocketClient fourth = connect(frank, "");
			assertThat(fourth.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4029);
		}
	}

	@Test
	void bobNeverGetsAlicesEventsEvenWithHerCursor() {
		String alice = unique("alice");
		String bob = unique("bob");
		RecordMetadata first = progress(alice, "job-1", 0);
		progress(alice, "job-1", 1);
		try (WebSocketClient client = connect(bob, "?since=" + cursorOf(first))) {
			await().until(() -> isLive(client.frames()));
			progress(alice, "job-1", 2);
			RecordMetadata bobs = progress(bob, "job-2", 0);
			await().until(() -> cursors(client.frames()).contains(cursorOf(bobs)));
			assertThat(jobs(client.frames())).extracting((frame) -> frame.get("job").get("owner").asString())
				.containsOnly(bob);
		}
	}

	@Test
	void handshakeFromAnOriginNotAllowedIsRefused() {
		String token = this.tokens.sign(unique("gina"), Duration.ofMinutes(5), List.of());
		assertThat(WebSocketClient.refusedStatus(ws("?access_token=" + token), Map.of("Origin", "https://evil.example")))
			.isEqualTo(403);
	}

	private RecordMetadata progress(String owner, String job, int sequence) {
		return send(events, Topics.JOB_STATUS, owner, aSnapshot(owner, job, JobState.RUNNING, 1, sequence).build());
	}

	private WebSocketClient connect(String user, String query) {
		String token = this.tokens.sign(user, Duration.ofMinutes(5), List.of());
		return WebSocketClient.connect(ws(query.isEmpty() ? "?access_token=" + token : query + "&access_token=" + token),
				Map.of());
	}

	private URI ws(String query) {
		return URI.create("ws://localhost:" + this.port + "/ws" + query);
	}

	private static long offset(String cursor) {
		return Long.parseLong(cursor.substring(cursor.indexOf('-') + 1));
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
