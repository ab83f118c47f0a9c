package io.inloop.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.inloop.cli.broker.LocalBroker;
import io.inloop.testbroker.SharedTestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker restarted under the running services, mid-flow: a system of its own on a broker of
 * its own (the local stack's, whose log directory survives a restart), since the shared broker
 * serves the whole run. While the broker is away a submission is refused with 503, never
 * accepted and lost; once it is back, every job that was under way reaches its owner's socket
 * with its real ending, the ledger agrees, and new jobs run. docs/reliability.md quotes its figures.
 */
class BrokerRestartIT {

	private static final int JOBS = 12;

	/** Each job runs about 3 s; four slots: the broker goes away while most are queued or running. */
	private static final String A_SLOW_JOB = "{\"type\":\"demo.steps\",\"payload\":{\"steps\":15,\"delayMs\":200}}";

	/** The shared test broker's settings (share-group locks as short as the system's workers use). */
	private static final Properties TEST_BROKER = SharedTestBroker.load("classpath:embedded-broker.properties");

	@TempDir
	static Path brokerData;

	@Test
	void jobsUnderWayWhenTheBrokerRestartsAllReachTheirOwnerAndTheSystemTakesNewOnes() throws Exception {
		int port = InloopSystem.freePort();
		int controllerPort = InloopSystem.freePort();
		LocalBroker broker = LocalBroker.start(brokerData, port, controllerPort, TEST_BROKER);
		try (InloopSystem system = InloopSystem.on(broker.bootstrapServers())) {
			ApiClient api = new ApiClient(system.api());
			String user = "broker-restart-" + UUID.randomUUID();
			String token = system.token(user);
			FrameRecorder socket = FrameRecorder.connect(system.notifierWebSocket(), token);
			List<String> jobs = new ArrayList<>();
			for (int i = 0; i < JOBS; i++) {
				jobs.add(api.submitAccepted(token, A_SLOW_JOB));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> socket.jobs(jobs.get(0)).stream()
				.anyMatch((job) -> job.get("state").asString().equals("RUNNING")));

			long away = System.nanoTime();
			broker.stop();
			// More patience than ApiClient's 10 s: the API may wait out its producer's delivery timeout
			ApiClient.Response refused = new ApiClient(system.api(), Duration.ofSeconds(30)).submit(token, A_SLOW_JOB);
			assertThat(refused.status()).as(refused.body()).isEqualTo(503);
			assertThat(refused.contentType()).isEqualTo("application/problem+json");
			assertThat(refused.retryAfter()).isNotNull();
			long refusedAfter = Duration.ofNanos(System.nanoTime() - away).toMillis();
			broker = LocalBroker.start(brokerData, port, controllerPort, TEST_BROKER);
			long back = System.nanoTime();
			long outage = Duration.ofNanos(back - away).toMillis();

			await().atMost(Duration.ofSeconds(120))
				.until(() -> jobs.stream().allMatch((job) -> socket.endsWith(job, "SUCCEEDED")));
			long allEnded = Duration.ofNanos(System.nanoTime() - back).toMillis();
			assertThat(socket.closed()).as("the socket stayed open through the outage").isNotDone();
			jobs.forEach(socket::assertSucceededOnce);
			await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream()
				.allMatch((job) -> api.job(token, job).json().get("state").asString().equals("SUCCEEDED")));

			system.awaitAllReady();
			String after = api.submitAccepted(token, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2}}");
			await().atMost(Duration.ofSeconds(30)).until(() -> socket.endsWith(after, "SUCCEEDED"));
			System.out.printf("BrokerRestartIT: broker away %d ms (a submission refused with 503 after %d ms); "
					+ "all %d jobs under way SUCCEEDED at the socket %d ms after it was back, each once; "
					+ "a new job accepted and done after that%n", outage, refusedAfter, JOBS, allEnded);
			socket.close();
		}
		finally {
			broker.stop();
		}
	}

}
