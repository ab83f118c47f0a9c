package io.inloop.notifier.rsocket;

import java.time.Duration;
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
import io.netty.channel.ChannelOption;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.metadata.WellKnownMimeType;
import io.rsocket.transport.netty.client.TcpClientTransport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.messaging.rsocket.RSocketStrategies;
import org.springframework.security.rsocket.metadata.BearerTokenAuthenticationEncoder;
import org.springframework.security.rsocket.metadata.BearerTokenMetadata;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

import reactor.core.publisher.Flux;
import reactor.netty.tcp.TcpClient;
import reactor.test.StepVerifier;

import static io.inloop.notifier.StatusTopic.aSnapshot;
import static io.inloop.notifier.StatusTopic.cursorOf;
import static io.inloop.notifier.StatusTopic.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@NotifierTest
class JobEventsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final MimeType AUTHENTICATION = MimeTypeUtils
		.parseMimeType(WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION.getString());

	private static Producer<String, JobStatusChanged> events;

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${local.rsocket.server.port}")
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private StatusFeed feed;

	@Autowired
	private Connections notifier;

	@Autowired
	private RSocketRequester.Builder requesters;

	@Autowired
	private RSocketStrategies strategies;

	private final List<RSocketRequester> connections = new java.util.ArrayList<>();

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
	void disconnect() {
		this.connections.forEach(RSocketRequester::dispose);
	}

	@Test
	void serviceWithScopeEventsAllSeesEveryUsersEvents() {
		String alice = unique("alice");
		String bob = unique("bob");
		String token = this.tokens.sign("reporting-service", Duration.ofMinutes(5), List.of("events:all"));
		StepVerifier.create(stream(token, Map.of("owners", List.of(alice, bob))))
			.expectNextMatches((frame) -> type(frame).equals("live"))
			.then(() -> {
				progress(alice, "job-1", 0);
				progress(bob, "job-2", 0);
			})
			.expectNextMatches((frame) -> owner(frame).equals(alice))
			.expectNextMatches((frame) -> owner(frame).equals(bob))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void serviceWithScopeEventsAllFiltersByJobTypeAndStateAndResumesOneOwner() {
		String alice = unique("alice");
		String token = this.tokens.sign("reporting-service", Duration.ofMinutes(5), List.of("events:all"));
		RecordMetadata first = progress(alice, "job-1", 0);
		send(events, Topics.JOB_STATUS, alice, aSnapshot(alice, "job-2", JobState.RUNNING, 1, 0).setType("other").build());
		RecordMetadata done = send(events, Topics.JOB_STATUS, alice,
				aSnapshot(alice, "job-1", JobState.SUCCEEDED, 1, 1).build());
		StepVerifier
			.create(stream(token, Map.of("owners", List.of(alice), "types", List.of("demo.steps"), "states",
					List.of("SUCCEEDED"), "since", cursorOf(first))))
			.expectNextMatches((frame) -> frame.get("cursor").asString().equals(cursorOf(done)))
			.expectNextMatches((frame) -> type(frame).equals("live"))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void serviceWithoutTheScopeSeesOnlyItsOwnJobs() {
		String service = unique("billing");
		String alice = unique("alice");
		String token = this.tokens.sign(service, Duration.ofMinutes(5), List.of());
		StepVerifier.create(stream(token, Map.of()))
			.expectNextMatches((frame) -> type(frame).equals("snapshot"))
			.expectNextMatches((frame) -> type(frame).equals("live"))
			.then(() -> {
				progress(alice, "job-1", 0);
				progress(service, "job-2", 0);
			})
			.expectNextMatches((frame) -> owner(frame).equals(service))
			.thenCancel()
			.verify(TIMEOUT);
		StepVerifier.create(stream(token, Map.of("owners", List.of(alice))))
			.expectErrorSatisfies((error) -> assertThat(error).hasMessageContaining("events:all"))
			.verify(TIMEOUT);
	}

	@Test
	void setupWithoutTokenIsRefused() {
		StepVerifier.create(connect(null).route("jobs.events").data(Map.of()).retrieveFlux(String.class))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(RejectedSetupException.class)
				.hasMessageContaining("Access Denied"))
			.verify(TIMEOUT);
	}

	@Test
	void setupWithForgedTokenIsRefused() {
		String forged = new TokenSigner("another-secret-of-at-least-thirty-two-bytes").sign("mallory",
				Duration.ofMinutes(5), List.of("events:all"));
		StepVerifier.create(stream(forged, Map.of()))
			.expectError(RejectedSetupException.class)
			.verify(TIMEOUT);
	}

	@Test
	void aRequestMayCarryATokenOfItsOwnOnAnAuthenticatedConnection() {
		String service = unique("billing");
		String other = unique("shipping");
		RSocketRequester requester = connect(this.tokens.sign(service, Duration.ofMinutes(5), List.of()));
		StepVerifier.create(requester.route("jobs.events")
			.metadata(new BearerTokenMetadata(this.tokens.sign(other, Duration.ofMinutes(5), List.of())), AUTHENTICATION)
			.data(Map.of())
			.retrieveFlux(String.class)
			.map(this.json::readTree))
			.expectNextMatches((frame) -> type(frame).equals("snapshot"))
			.expectNextMatches((frame) -> type(frame).equals("live"))
			.then(() -> {
				progress(service, "job-1", 0);
				progress(other, "job-2", 0);
			})
			.expectNextMatches((frame) -> owner(frame).equals(other))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void aPayloadLargerThanTheLimitClosesTheConnectionAndOthersCarryOn() {
		String token = this.tokens.sign(unique("bulky"), Duration.ofMinutes(5), List.of());
		RSocketRequester bulky = connect(token);
		StepVerifier.create(bulky.route("jobs.events")
			.data(Map.of("types", List.of("x".repeat(32 * 1024))))
			.retrieveFlux(String.class))
			.expectErrorSatisfies((error) -> assertThat(error).hasMessageContaining("larger than 16384 bytes"))
			.verify(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> bulky.rsocket() == null || bulky.rsocket().isDisposed());
		StepVerifier.create(stream(token, Map.of()))
			.expectNextMatches((frame) -> type(frame).equals("snapshot"))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void serviceThatStopsRequestingHasItsFramesMergedThenIsClosedAsTooSlowWhileAnotherKeepsReceiving() {
		String slow = unique("slow");
		String keen = unique("keen");
		// Asks for the snapshot frame only, then for nothing: live frames wait, merged, until the queue (4 here) overflows.
		StepVerifier.Step<JsonNode> stuck = StepVerifier.create(stream(this.tokens.sign(slow, Duration.ofMinutes(5),
				List.of()), Map.of()), 1)
			.expectNextMatches((frame) -> type(frame).equals("snapshot"));
		StepVerifier.Step<JsonNode> reading = StepVerifier.create(stream(this.tokens.sign(keen, Duration.ofMinutes(5),
				List.of()), Map.of()))
			.expectNextMatches((frame) -> type(frame).equals("snapshot"))
			.expectNextMatches((frame) -> type(frame).equals("live"));
		java.util.concurrent.atomic.AtomicReference<RecordMetadata> lastKeen = new java.util.concurrent.atomic.AtomicReference<>();
		StepVerifier stuckVerifier = stuck.then(() -> {
			for (int i = 0; i < 3; i++) {
				progress(slow, "job-1", i); // merged: one job
			}
			for (int job = 2; job <= 6; job++) {
				progress(slow, "job-" + job, 0);
			}
		})
			.expectErrorSatisfies((error) -> assertThat(error).hasMessageContaining("too slow"))
			.verifyLater();
		java.util.concurrent.atomic.AtomicReference<JsonNode> received = new java.util.concurrent.atomic.AtomicReference<>();
		reading.then(() -> {
			stuckVerifier.verify(TIMEOUT);
			lastKeen.set(progress(keen, "job-1", 0));
		})
			.consumeNextWith(received::set) // may arrive before the send's acknowledgement: compared below
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(received.get().get("cursor").asString()).isEqualTo(cursorOf(lastKeen.get()));
	}

	@Test
	void serviceThatKeepsAskingButStopsReadingItsSocketIsClosedAsTooSlowWhileAnotherKeepsReceiving() {
		String deaf = unique("deaf");
		String keen = unique("keen");
		java.util.concurrent.atomic.AtomicReference<io.netty.channel.Channel> socket = new java.util.concurrent.atomic.AtomicReference<>();
		RSocketRequester requester = this.requesters
			.rsocketStrategies(this.strategies.mutate().encoder(new BearerTokenAuthenticationEncoder()).build())
			.dataMimeType(MimeTypeUtils.APPLICATION_JSON)
			.setupMetadata(new BearerTokenMetadata(this.tokens.sign(deaf, Duration.ofMinutes(5), List.of())), AUTHENTICATION)
			.transport(TcpClientTransport.create(TcpClient.create()
				.host("localhost")
				.port(this.port)
				.option(ChannelOption.SO_RCVBUF, 4096)
				.doOnConnected((connection) -> socket.set(connection.channel()))));
		this.connections.add(requester);
		java.util.concurrent.atomic.AtomicBoolean live = new java.util.concurrent.atomic.AtomicBoolean();
		requester.route("jobs.events").data(Map.of()).retrieveFlux(String.class)
			.doOnNext((frame) -> live.compareAndSet(false, frame.contains("\"live\"")))
			.subscribe((frame) -> { }, (error) -> { });
		await().atMost(TIMEOUT).untilTrue(live);
		// The service asks for everything (unbounded demand) but no longer reads from its socket.
		socket.get().config().setAutoRead(false);
		await().atMost(TIMEOUT).until(() -> this.notifier.count(deaf) == 1);
		// Big frames fill the socket buffers quickly; then frames of several jobs overflow the queue.
		String big = "x".repeat(8 * 1024);
		for (int sequence = 0; sequence < 800; sequence++) {
			events.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.JOB_STATUS, deaf,
					aSnapshot(deaf, "job-1", JobState.RUNNING, 1, sequence).setMessage(big).build()));
		}
		events.flush();
		java.util.concurrent.atomic.AtomicInteger job = new java.util.concurrent.atomic.AtomicInteger(1);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			progress(deaf, "job-" + job.incrementAndGet(), 0);
			return this.notifier.count(deaf) == 0;
		});
		StepVerifier.create(stream(this.tokens.sign(keen, Duration.ofMinutes(5), List.of()), Map.of()))
			.expectNextMatches((frame) -> type(frame).equals("snapshot"))
			.expectNextMatches((frame) -> type(frame).equals("live"))
			.then(() -> progress(keen, "job-1", 0))
			.expectNextMatches((frame) -> owner(frame).equals(keen))
			.thenCancel()
			.verify(TIMEOUT);
	}

	/** A connection authenticated at setup with {@code token}, or without one. */
	private RSocketRequester connect(@Nullable String token) {
		RSocketRequester.Builder builder = this.requesters
			.rsocketStrategies(this.strategies.mutate().encoder(new BearerTokenAuthenticationEncoder()).build())
			.dataMimeType(MimeTypeUtils.APPLICATION_JSON);
		if (token != null) {
			builder = builder.setupMetadata(new BearerTokenMetadata(token), AUTHENTICATION);
		}
		RSocketRequester requester = builder.tcp("localhost", this.port);
		this.connections.add(requester);
		return requester;
	}

	private Flux<JsonNode> stream(String token, Map<String, Object> request) {
		return connect(token).route("jobs.events").data(request).retrieveFlux(String.class).map(this.json::readTree);
	}

	private static String type(JsonNode frame) {
		return frame.get("type").asString();
	}

	private static String owner(JsonNode frame) {
		return frame.get("job").get("owner").asString();
	}

	private RecordMetadata progress(String owner, String job, int sequence) {
		return send(events, Topics.JOB_STATUS, owner, aSnapshot(owner, job, JobState.RUNNING, 1, sequence).build());
	}

	private static String unique(String user) {
		return user + "-" + UUID.randomUUID();
	}

}
