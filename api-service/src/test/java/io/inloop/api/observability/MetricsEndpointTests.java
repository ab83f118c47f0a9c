package io.inloop.api.observability;

import java.time.Duration;
import java.util.List;

import io.inloop.ops.OperationsKit;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
class MetricsEndpointTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private TokenSigner tokens;

	@Test
	void prometheusNeedsTheMetricsScopeAndShowsSubmissionsByType() {
		this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(this.tokens.sign("metrics-user", Duration.ofMinutes(1), List.of())))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.fail\"}")
			.exchange()
			.expectStatus().isAccepted();

		this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		this.http.get()
			.uri("/actuator/prometheus")
			.headers((h) -> h.setBearerAuth(this.tokens.sign("user", Duration.ofMinutes(1), List.of())))
			.exchange()
			.expectStatus().isForbidden();
		String metrics = this.http.get()
			.uri("/actuator/prometheus")
			.headers((h) -> h.setBearerAuth(this.tokens.sign("prometheus", Duration.ofMinutes(1), List.of("metrics"))))
			.exchange()
			.expectStatus().isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).containsPattern("inloop_jobs_submitted_total\\{[^}]*type=\"demo.fail\"[^}]*\\} [1-9]");
		assertThat(OperationsKit.missingFrom(metrics, "api")).as("metrics of the alerts and the dashboard (ops/)")
			.isEmpty();
		assertThat(OperationsKit.usedMetricsOf("api")).contains("inloop_ledger_stalled_total", "kafka_stream_client_state");
	}

}
