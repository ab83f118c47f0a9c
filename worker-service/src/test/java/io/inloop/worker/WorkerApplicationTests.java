package io.inloop.worker;

import java.time.Duration;
import java.util.List;

import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.ops.OperationsKit;
import io.inloop.security.TokenSigner;
import io.inloop.worker.KafkaTestClient.TopicReader;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.ConsumerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WorkerTest
class WorkerApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	org.springframework.context.ApplicationContext context;

	@Autowired
	ConsumerFactory<?, ?> consumers;

	/** The minter's key (the host app's, or api-service's dev tokens); the worker holds only the public one. */
	final TokenSigner tokens = TokenSigner.withPrivateKey(new ClassPathResource("test-jwt-private.pem"));

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void consumerNeverCreatesTopicsNorCommitsOnItsOwn() {
		assertThat(this.consumers.getConfigurationProperties()).extractingByKeys(
				ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)
			.map(String::valueOf)
			.containsExactly("false", "false", "earliest");
	}

	@Test
	void reportsLivenessAndReadinessOnTheManagementPort() throws Exception {
		assertThat(get("/actuator/health/liveness")).satisfies(this::isUp);
		assertThat(get("/actuator/health/readiness")).satisfies(this::isUp);
	}

	@Test
	void exposesHealthAndInfoOpenlyAndNothingElseWithoutAToken() throws Exception {
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/env").statusCode()).isIn(401, 403, 404);
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", this.tokens.sign("someone", Duration.ofMinutes(1), List.of())).statusCode())
			.isEqualTo(403);
	}

	@Test
	void holdsNoKeyThatMintsTokensAndRefusesAnHs256AdminToken() throws Exception {
		assertThat(this.context.getBeanNamesForType(TokenSigner.class)).isEmpty();
		String hs256 = new TokenSigner("any-secret-of-at-least-thirty-two-bytes!!").sign("mallory",
				Duration.ofMinutes(1), List.of("metrics", "admin"));
		assertThat(get("/actuator/prometheus", hs256).statusCode()).isEqualTo(401);
	}

	@Test
	void prometheusShowsTheDocumentedJobMetricsAfterAJobHasRun() throws Exception {
		String token = this.tokens.sign("prometheus", Duration.ofMinutes(1), List.of("metrics"));
		try (KafkaTestClient kafka = new KafkaTestClient(); TopicReader status = kafka.reader(Topics.JOB_STATUS)) {
			SubmitJob command = KafkaTestClient.command("demo.steps", "{\"steps\": 2}");
			kafka.submit(command);
			// and a command no worker can read, for the dead-letter counter
			kafka.send(command.getJobId(), "not Avro".getBytes(StandardCharsets.UTF_8));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> !status.read((record) -> succeeded(record, command)).isEmpty());
			await().atMost(Duration.ofSeconds(20))
				.until(() -> get("/actuator/prometheus", token).body().contains("inloop_jobs_dead_lettered_total{type=\"unreadable\"}"));
		}
		String scrape = get("/actuator/prometheus", token).body();
		assertThat(OperationsKit.missingFrom(scrape, "worker")).as("metrics of the alerts and the dashboard (ops/)")
			.isEmpty();
		assertThat(OperationsKit.usedMetricsOf("worker")).contains("inloop_worker_slots_dead",
				"inloop_worker_control_reader_up", "inloop_jobs_dead_lettered_total", "process_files_open_files");
		assertThat(scrape).containsPattern("inloop_jobs_completed_total\\{[^}]*outcome=\"succeeded\"[^}]*type=\"demo.steps\"[^}]*\\} [1-9]")
			.contains("inloop_jobs_duration_seconds_bucket")
			.contains("inloop_jobs_queue_wait_seconds_count")
			.contains("inloop_jobs_attempts_total")
			.contains("inloop_worker_queue_lag");
	}

	private static boolean succeeded(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record, SubmitJob command) {
		if (!command.getOwner().equals(record.key())) {
			return false;
		}
		JobStatusChanged event = new AvroDeserializer<>(JobStatusChanged.class).deserialize(record.topic(), record.value());
		return event != null && event.getJobId().equals(command.getJobId()) && event.getState() == JobState.SUCCEEDED;
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Bearer " + token)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private void isUp(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
