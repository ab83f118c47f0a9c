package io.inloop.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;

@WorkerTest
class WorkerApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	ProducerFactory<?, ?> producers;

	@Autowired
	ConsumerFactory<?, ?> consumers;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void producerWritesDurablyOnceAndAtOnce() {
		assertThat(this.producers.getConfigurationProperties()).extractingByKeys(ProducerConfig.ACKS_CONFIG,
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.LINGER_MS_CONFIG,
				ProducerConfig.COMPRESSION_TYPE_CONFIG)
			.map(String::valueOf)
			.containsExactly("all", "true", "0", "none");
	}

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
	void exposesOnlyHealthAndInfo() throws Exception {
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/metrics").statusCode()).isEqualTo(404);
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
