package io.inloop.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart of api-service, clean or by {@code kill -9}, is a non-event for a client that keeps
 * reading and cancelling: it sees no 5xx but 503 with {@code Retry-After}, and the API is ready
 * again about as fast as on a first start (static membership and leave-group: nobody waits out
 * the ledger group's session timeout).
 */
class ApiRestartIT {

	/** A first start of api-service takes 10-20 s on a busy 2-core machine; waiting for the old member took 45 s more. */
	private static final Duration READY_AGAIN_WITHIN = Duration.ofSeconds(40);

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@ParameterizedTest(name = "kill = {0}")
	@ValueSource(booleans = { false, true })
	void aClientPollingThroughARestartSeesOnly503WithRetryAfterAndTheApiIsSoonReady(boolean kill) throws Exception {
		String user = "restart-" + UUID.randomUUID();
		String token = system.token(user);
		String quick = api.submitAccepted(token, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2,\"delayMs\":50}}");
		String slow = api.submitAccepted(token, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":600,\"delayMs\":100}}");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> api.job(token, quick).json().get("state").asString().equals("SUCCEEDED"));

		try (Poller poller = new Poller(system.api(), token, quick, slow)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> poller.answers("GET", 200) > 0);
			long began = System.nanoTime();
			system.restartApi(kill);
			int before = poller.answers("GET", 200);
			system.awaitApiReady(READY_AGAIN_WITHIN);
			Duration ready = Duration.ofNanos(System.nanoTime() - began);
			System.out.printf("api-service %s and ready again in %.1f s%n", kill ? "killed" : "stopped",
					ready.toMillis() / 1000.0);
			// The client goes on: reads answer again, and the slow job is cancelled (or already was).
			await().atMost(Duration.ofSeconds(20)).until(() -> poller.answers("GET", 200) > before + 3);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> api.job(token, slow).json().get("state").asString().equals("CANCELLED"));
			poller.close();

			assertThat(poller.wrong).as("5xx other than 503 with Retry-After and problem+json").isEmpty();
			assertThat(poller.answers("CANCEL", 202) + poller.answers("CANCEL", 409)).isPositive();
			assertThat(ready).isLessThan(READY_AGAIN_WITHIN);
		}
	}

	/** Reads one job and cancels another, over and over, recording every answer. */
	private static final class Poller implements AutoCloseable {

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		private final List<String> wrong = new CopyOnWriteArrayList<>();

		/** One round every 20 ms: a client that keeps asking, without spinning on a refused connection. */
		private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();

		Poller(URI base, String token, String read, String cancel) {
			HttpRequest get = HttpRequest.newBuilder(base.resolve("/api/jobs/" + read))
				.header("Authorization", "Bearer " + token)
				.timeout(Duration.ofSeconds(5))
				.GET()
				.build();
			HttpRequest post = HttpRequest.newBuilder(base.resolve("/api/jobs/" + cancel + "/cancel"))
				.header("Authorization", "Bearer " + token)
				.timeout(Duration.ofSeconds(5))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build();
			this.rounds.scheduleWithFixedDelay(() -> {
				send("GET", get);
				send("CANCEL", post);
			}, 0, 20, TimeUnit.MILLISECONDS);
		}

		int answers(String what, int status) {
			return this.counts.getOrDefault(what + " " + status, new AtomicInteger()).get();
		}

		private void send(String what, HttpRequest request) {
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				int status = response.statusCode();
				this.counts.computeIfAbsent(what + " " + status, (key) -> new AtomicInteger()).incrementAndGet();
				boolean properlyUnavailable = status == 503
						&& response.headers().firstValue("Retry-After").isPresent()
						&& response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
				if (status >= 500 && !properlyUnavailable) {
					this.wrong.add(what + " " + status + " " + response.headers().map() + " " + response.body());
				}
			}
			catch (IOException ex) {
				// The process is down or not listening yet: no answer at all, which is not a 5xx.
				this.counts.computeIfAbsent(what + " no answer", (key) -> new AtomicInteger()).incrementAndGet();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void close() throws InterruptedException {
			if (this.rounds.isShutdown()) {
				return;
			}
			this.rounds.shutdown();
			this.rounds.awaitTermination(10, TimeUnit.SECONDS);
			System.out.println("Answers during the restart: " + this.counts);
		}

	}

}
