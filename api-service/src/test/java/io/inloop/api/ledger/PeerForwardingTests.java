package io.inloop.api.ledger;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.util.TestSocketUtils;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder that cannot be reached, or does not answer, is a 503 with Retry-After within
 * {@code inloop.ledger.forward-timeout}: never an error 500, never a request left hanging.
 */
class PeerForwardingTests {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	private final LedgerSettings settings = new LedgerSettings(Duration.ofSeconds(15), Duration.ofSeconds(15),
			Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofDays(7),
			Duration.ofMinutes(1), 1000, 32, "localhost:8080", TIMEOUT);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final PeerForwarding forwarding = new PeerForwarding(new LedgerPeers(this.settings),
			new JobLedger(new StreamsBuilderFactoryBean(), this.settings, new SimpleMeterRegistry()),
			new JobViews(JsonMapper.builder().build()), new ResponseEntityExceptionHandler() {
			}, this.meters);

	@Test
	void aHolderNobodyListensAtIsA503WithRetryAfter() {
		int closed = TestSocketUtils.findAvailableTcpPort();

		assertUnavailable(forward(new HostInfo("localhost", closed)));
		assertThat(this.meters.get("inloop.ledger.forwards").tag("outcome", "failed").counter().count()).isOne();
	}

	@Test
	void aHolderThatDoesNotAnswerIsA503WithinTheForwardTimeout() throws IOException {
		try (ServerSocket silent = new ServerSocket(0)) {
			// Connections complete in the backlog, unaccepted: connected, and never an answer
			long start = System.nanoTime();
			assertUnavailable(forward(new HostInfo("localhost", silent.getLocalPort())));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(10));
		}
	}

	@Test
	void aForwardedRequestIsNotForwardedAgain() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/api/jobs/j-1").header(LedgerPeers.FORWARDED, "localhost:8081"));

		assertUnavailable(this.forwarding.elsewhere(new LedgerElsewhereException(new HostInfo("localhost", 1)), exchange)
			.block(Duration.ofSeconds(5)));
		assertThat(this.meters.get("inloop.ledger.forwards").tag("outcome", "not-held").counter().count()).isOne();
	}

	private ResponseEntity<Object> forward(HostInfo holder) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/api/jobs/j-1").header(HttpHeaders.AUTHORIZATION, "Bearer t"));
		return this.forwarding.elsewhere(new LedgerElsewhereException(holder), exchange).block(Duration.ofSeconds(5));
	}

	private static void assertUnavailable(ResponseEntity<Object> answer) {
		assertThat(answer).isNotNull();
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(answer.getBody()).isInstanceOfSatisfying(ProblemDetail.class,
				(problem) -> assertThat(problem.getType()).hasToString("https://inloop.dev/problems/ledger-unavailable"));
	}

}
