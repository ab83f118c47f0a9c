package io.inloop.notifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.inloop.ops.OperationsKit;
import io.inloop.security.TokenSigner;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@NotifierTest
class NotifierApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@BeforeAll
	static void createTopics() {
		StatusTopic.create();
	}

	@Test
	void readinessProbeIsOpenAndUpOnceTheFeedReadsTheTopic() {
		await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health/readiness", null).statusCode() == 200);
		assertThat(get("/actuator/health/readiness", null).body()).contains("\"UP\"");
	}

	@Test
	void prometheusNeedsTheMetricsScopeAndShowsWhatTheAlertsAndTheDashboardUse() {
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", this.tokens.sign("alice", Duration.ofMinutes(1), List.of())).statusCode())
			.isEqualTo(403);
		await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health/readiness", null).statusCode() == 200);
		HttpResponse<String> scrape = get("/actuator/prometheus",
				this.tokens.sign("prometheus", Duration.ofMinutes(1), List.of("metrics")));
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(OperationsKit.missingFrom(scrape.body(), "notifier")).as("metrics of the alerts and the dashboard (ops/)")
			.isEmpty();
		assertThat(OperationsKit.usedMetricsOf("notifier")).contains("inloop_notifier_feed_partitions",
				"process_files_open_files", "kafka_consumer_fetch_manager_records_lag_max");
	}

	@Test
	void livenessProbeAndInfoAreOpen() {
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/info", null).statusCode()).isEqualTo(200);
	}

	@Test
	void demoPageAndBrowserClientAreOpen() {
		HttpResponse<String> page = get("/", null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("inloop.js");
		HttpResponse<String> client = get("/inloop.js", null);
		assertThat(client.statusCode()).isEqualTo(200);
		assertThat(client.body()).contains("function connect(").contains("export {");
	}

	@Test
	void everythingElseNeedsAToken() {
		HttpResponse<String> refused = get("/actuator/env", null);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		String token = this.tokens.sign("alice", Duration.ofMinutes(1), List.of());
		assertThat(get("/actuator/env", token).statusCode()).as("authenticated, but not exposed").isEqualTo(404);
	}

	private HttpResponse<String> get(String path, @Nullable String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
