package io.inloop.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.inloop.cli.process.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What operators see: one trace id per job across the three services' logs, and the metrics. */
class ObservabilityIT {

	/** Boot's log correlation: {@code [<traceId>-<spanId>]} after the thread name. */
	private static final Pattern TRACE_ID = Pattern.compile("\\[([0-9a-f]{32})-[0-9a-f]{16}\\]");

	private static InloopSystem system;

	private static ApiClient api;

	@BeforeAll
	static void startSystem() {
		system = InloopSystem.get();
		api = new ApiClient(system.api());
	}

	@Test
	void oneTraceIdFollowsAJobFromTheHttpRequestThroughTheWorkerToTheNotifier() throws Exception {
		String user = "traced-" + UUID.randomUUID();
		try (FrameRecorder browser = FrameRecorder.connect(system.notifierWebSocket(), system.token(user))) {
			String job = api.submitAccepted(system.token(user), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":1}}");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> browser.endsWith(job, "SUCCEEDED"));

			String apiTrace = await().atMost(Duration.ofSeconds(10))
				.until(() -> traceOf(system.apiProcess(), job, "Accepted job"), Optional::isPresent)
				.orElseThrow();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(system.workers().stream().map((worker) -> traceOf(worker, job, "attempt 1 started"))
					.flatMap(Optional::stream)).containsExactly(apiTrace);
				assertThat(traceOf(system.notifierProcess(), job, "Delivering")).contains(apiTrace);
			});
		}
	}

	@Test
	void prometheusExposesTheDocumentedJobMetricsAfterAJobHasRun() throws Exception {
		String user = "measured-" + UUID.randomUUID();
		try (FrameRecorder browser = FrameRecorder.connect(system.notifierWebSocket(), system.token(user))) {
			String job = api.submitAccepted(system.token(user), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":1}}");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> browser.endsWith(job, "SUCCEEDED"));
		}
		assertThat(scrape(system.api())).contains("inloop_jobs_submitted_total{")
			.contains("inloop_ledger_dropped_total")
			.contains("kafka_consumer_fetch_manager_records_lag_max");
		assertThat(scrape(system.workerManagement(system.workers().get(0)))).contains("inloop_jobs_completed_total{")
			.contains("inloop_jobs_duration_seconds_bucket")
			.contains("inloop_jobs_queue_wait_seconds_count");
		assertThat(scrape(system.notifierPage())).contains("inloop_notifier_clients{")
			.contains("inloop_notifier_delivery_latency_seconds_bucket")
			.contains("inloop_notifier_frames_dropped_total");
	}

	private static String scrape(URI base) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
				.header("Authorization", "Bearer " + system.token("prometheus", List.of("metrics")))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("scrape of %s", base).isEqualTo(200);
		return response.body();
	}

	private static Optional<String> traceOf(ServiceProcess service, String jobId, String marker) {
		return service.logTail(500)
			.stream()
			.filter((line) -> line.contains(jobId) && line.contains(marker))
			.map(TRACE_ID::matcher)
			.filter(Matcher::find)
			.map((matcher) -> matcher.group(1))
			.findFirst();
	}

}
