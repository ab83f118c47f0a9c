package io.inloop.notifier.websocket;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.notifier.NotifierApplication;
import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import io.inloop.notifier.delivery.StatusFeed;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.inloop.notifier.Frames.cursors;
import static io.inloop.notifier.Frames.isLive;
import static io.inloop.notifier.Frames.jobs;
import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.cursorOf;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two notifiers side by side on the same broker, each with a window of two frames per partition,
 * so that resuming reads the topic back.
 */
class AnyInstanceTests {

	private static final TokenSigner tokens = new TokenSigner(NotifierTest.SECRET);

	private static Producer<String, JobStatusChanged> events;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void startNotifiers() {
		StatusTopic.create();
		events = StatusTopic.events();
		first = notifier();
		second = notifier();
		for (ConfigurableApplicationContext notifier : List.of(first, second)) {
			await().atMost(Duration.ofSeconds(20)).until(notifier.getBean(StatusFeed.class)::isCaughtUp);
		}
	}

	@AfterAll
	static void stopNotifiers() {
		first.close();
		second.close();
		events.close();
	}

	@Test
	void clientThatMovesToAnotherNotifierWithItsCursorLosesNothing() {
		String alice = unique("alice");
		List<String> sent = new ArrayList<>();
		List<JsonNode> received = new ArrayList<>();
		try (WebSocketClient client = connect(first, alice, "")) {
			await().until(() -> isLive(client.frames()));
			sent.add(cursorOf(progress(alice, "job-1", 0)));
			sent.add(cursorOf(progress(alice, "job-1", 1)));
			await().until(() -> jobs(client.frames()).size() == 2);
			received.addAll(jobs(client.frames()));
		}
		// Far more than the window holds happens while the client is away, on two jobs.
		for (int sequence = 2; sequence < 12; sequence++) {
			sent.add(cursorOf(progress(alice, "job-1", sequence)));
			sent.add(cursorOf(progress(alice, "job-2", sequence)));
			progress(unique("noise"), "job-3", sequence);
		}
		String last = cursors(received).get(received.size() - 1);
		try (WebSocketClient client = connect(second, alice, "?since=" + last)) {
			await().until(() -> isLive(client.frames()));
			sent.add(cursorOf(send(events, Topics.JOB_STATUS, alice,
					aSnapshot(alice, "job-1", JobState.SUCCEEDED, 1, 12).build())));
			await().until(() -> jobs(client.frames()).size() == sent.size() - 2);
			received.addAll(jobs(client.frames()));
		}
		assertThat(cursors(received)).containsExactlyElementsOf(sent);
	}

	@Test
	void cursorOlderThanTheTopicHoldsGetsSnapshotsAndRecoveredFalse() throws Exception {
		String bob = unique("bob");
		RecordMetadata gone = progress(bob, "job-1", 0);
		progress(bob, "job-1", 1);
		RecordMetadata job2 = progress(bob, "job-2", 0);
		RecordMetadata job1 = progress(bob, "job-1", 2);
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, StatusTopic.brokers()))) {
			admin.deleteRecords(Map.of(new TopicPartition(Topics.JOB_STATUS, job1.partition()),
					RecordsToDelete.beforeOffset(job1.offset())))
				.all()
				.get();
		}
		try (WebSocketClient client = connect(second, bob, "?since=" + cursorOf(gone))) {
			await().until(() -> isLive(client.frames()));
			JsonNode snapshot = client.frames().get(0);
			assertThat(snapshot.get("type").asString()).isEqualTo("snapshot");
			assertThat(snapshot.get("recovered").asBoolean()).isFalse();
			assertThat(snapshot.get("jobs").asInt()).isEqualTo(2);
			assertThat(cursors(client.frames())).containsExactly(cursorOf(job2), cursorOf(job1));
			assertThat(client.frames().get(3).get("type").asString()).isEqualTo("live");
		}
	}

	private static RecordMetadata progress(String owner, String job, int sequence) {
		return send(events, Topics.JOB_STATUS, owner, aSnapshot(owner, job, JobState.RUNNING, 1, sequence).build());
	}

	private static WebSocketClient connect(ConfigurableApplicationContext notifier, String user, String query) {
		String port = notifier.getEnvironment().getRequiredProperty("local.server.port");
		String token = tokens.sign(user, Duration.ofMinutes(5), List.of());
		String access = (query.isEmpty() ? "?" : query + "&") + "access_token=" + token;
		return WebSocketClient.connect(URI.create("ws://localhost:" + port + "/ws" + access), Map.of());
	}

	private static ConfigurableApplicationContext notifier() {
		return new SpringApplicationBuilder(NotifierApplication.class).run("--server.port=0",
				"--spring.rsocket.server.port=0", "--spring.kafka.bootstrap-servers=" + StatusTopic.brokers(),
				"--inloop.security.jwt.secret=" + NotifierTest.SECRET, "--inloop.notifier.resume.window=2",
				"--inloop.notifier.feed.retry-interval=100ms");
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
