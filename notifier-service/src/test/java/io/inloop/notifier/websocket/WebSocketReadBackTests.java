package io.inloop.notifier.websocket;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.inloop.history.ReadBacks;
import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import reactor.core.Disposable;

import static io.inloop.notifier.Frames.cursors;
import static io.inloop.notifier.Frames.isLive;
import static io.inloop.notifier.Frames.jobs;
import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.cursorOf;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Resuming from a cursor older than the in-memory window, within the read-back limits, over /ws. */
@NotifierTest
class WebSocketReadBackTests {

	private static Producer<String, JobStatusChanged> events;

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private StatusFeed feed;

	@Autowired
	private ReadBacks readBacks;

	private final CountDownLatch broker = new CountDownLatch(1);

	private final List<Disposable> held = new ArrayList<>();

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

	@AfterEach
	void release() {
		this.broker.countDown();
		this.held.forEach(Disposable::dispose);
		await().until(() -> this.readBacks.underWay() == 0);
	}

	@Test
	void aCursorTooFarBackGetsSnapshotsInsteadOfAReadBackOfThePartition() {
		String erin = unique("erin");
		long records = this.readBacks.limits().maxRecords() + 100;
		RecordMetadata first = progress(erin, "job-1", 0);
		for (int sequence = 1; sequence < records; sequence++) {
			events.send(new ProducerRecord<>(Topics.JOB_STATUS, erin,
					aSnapshot(erin, "job-1", JobState.RUNNING, 1, sequence).build()));
		}
		events.flush();
		RecordMetadata last = progress(erin, "job-1", (int) records);
		// Once a watcher has the last one, so has the notifier's window.
		try (WebSocketClient watcher = connect(erin, "")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> cursors(watcher.frames()).contains(cursorOf(last)));
		}
		try (WebSocketClient client = connect(erin, "?since=" + first.partition() + "-0")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> isLive(client.frames()));
			List<JsonNode> frames = client.frames();
			assertThat(frames.get(0).get("type").asString()).isEqualTo("snapshot");
			assertThat(frames.get(0).get("recovered").asBoolean()).isFalse();
			assertThat(cursors(frames)).containsExactly(cursorOf(last));
		}
	}

	@Test
	void aResumeWhileTheUsersReadBacksAreAllUnderWayIsClosedWith4013AndSucceedsLater() {
		String frank = unique("frank");
		List<String> sent = new ArrayList<>();
		RecordMetadata first = progress(frank, "job-1", 0);
		// More than the window of 64 holds: the resume reads back from Kafka.
		for (int sequence = 1; sequence <= 100; sequence++) {
			sent.add(cursorOf(progress(frank, "job-1", sequence)));
		}
		try (WebSocketClient watcher = connect(frank, "")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> cursors(watcher.frames()).contains(sent.get(99)));
		}
		for (int i = 0; i < this.readBacks.limits().perUser(); i++) {
			this.held.add(this.readBacks.read(frank, () -> {
				this.broker.await(30, TimeUnit.SECONDS);
				throw new IllegalStateException("broker gone");
			}).onErrorComplete().subscribe());
		}
		await().until(() -> this.readBacks.underWay() == this.readBacks.limits().perUser());
		try (WebSocketClient refused = connect(frank, "?since=" + cursorOf(first))) {
			assertThat(refused.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4013);
			assertThat(jobs(refused.frames())).isEmpty();
		}
		// Someone else is not held up by frank's read-backs.
		String grace = unique("grace");
		try (WebSocketClient other = connect(grace, "")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> isLive(other.frames()));
		}

		this.broker.countDown();
		await().until(() -> this.readBacks.underWay() == 0);
		try (WebSocketClient later = connect(frank, "?since=" + cursorOf(first))) {
			await().atMost(Duration.ofSeconds(20)).until(() -> isLive(later.frames()));
			assertThat(cursors(later.frames())).containsExactlyElementsOf(sent);
		}
	}

	private WebSocketClient connect(String user, String query) {
		String token = this.tokens.sign(user, Duration.ofMinutes(5), List.of());
		return WebSocketClient.connect(URI.create("ws://localhost:" + this.port + "/ws"
				+ (query.isEmpty() ? "?access_token=" + token : query + "&access_token=" + token)), Map.of());
	}

	private RecordMetadata progress(String owner, String job, int sequence) {
		return send(events, Topics.JOB_STATUS, owner, aSnapshot(owner, job, JobState.RUNNING, 1, sequence).build());
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
