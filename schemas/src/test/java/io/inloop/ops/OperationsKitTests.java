package io.inloop.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations kit is valid for the tools that load it (promtool, Grafana) and uses only metrics
 * that docs/operations.md documents; each service's scrape test checks that it exposes its share
 * ({@link OperationsKit#usedMetricsOf(String)}).
 */
class OperationsKitTests {

	private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

	@Test
	void everyMetricTheAlertsAndTheDashboardUseIsDocumentedWithTheServiceThatExposesIt() {
		assertThat(OperationsKit.usedMetrics()).as("metrics the kit uses").hasSizeGreaterThan(20)
			.contains("inloop_ledger_stalled_total", "inloop_jobs_dead_lettered_total", "inloop_worker_queue_lag",
					"inloop_jobs_queue_wait_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max");
		assertThat(OperationsKit.usedMetrics().stream().map(OperationsKit::metricOf))
			.as("metrics in %s and %s missing from the metrics table of %s", OperationsKit.ALERTS,
					OperationsKit.DASHBOARD, OperationsKit.OPERATIONS)
			.allSatisfy((metric) -> assertThat(OperationsKit.documentedMetrics()).containsKey(metric));
		assertThat(OperationsKit.documentedMetrics().values()).allSatisfy((services) -> assertThat(services)
			.isSubsetOf("api", "worker", "notifier", "all"));
	}

	@Test
	void operationsGuideLinksTheKit() {
		assertThat(OperationsKit.read(OperationsKit.OPERATIONS)).contains("../" + OperationsKit.ALERTS)
			.contains("../" + OperationsKit.DASHBOARD);
	}

	@Test
	void alertRulesAreValid() throws Exception {
		assertThat(promtool("check", "rules", OperationsKit.ALERTS)).contains("SUCCESS");
	}

	@Test
	void exampleScrapeConfigurationIsValid() throws Exception {
		// syntax only: its token file exists only where Prometheus runs
		assertThat(promtool("check", "config", "--syntax-only", OperationsKit.PROMETHEUS)).contains("SUCCESS");
	}

	@Test
	void alertRulesPassTheirUnitTests() throws Exception {
		assertThat(promtool("test", "rules", OperationsKit.ALERT_TESTS)).contains("SUCCESS");
	}

	@Test
	void dashboardQueriesThePrometheusDatasourceItAsksFor() {
		JsonNode dashboard = JsonMapper.builder().build().readTree(OperationsKit.read(OperationsKit.DASHBOARD));
		assertThat(dashboard.path("uid").asString()).isEqualTo("inloop");
		JsonNode datasource = dashboard.path("templating").path("list").get(0);
		assertThat(datasource.path("name").asString()).isEqualTo("datasource");
		assertThat(datasource.path("type").asString()).isEqualTo("datasource");
		assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
		List<JsonNode> targets = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			if (!"row".equals(panel.path("type").asString())) {
				assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
					.isEqualTo("${datasource}");
				assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
				panel.path("targets").forEach(targets::add);
			}
		}
		assertThat(targets).hasSizeGreaterThan(20)
			.allSatisfy((target) -> assertThat(target.path("expr").asString()).isNotBlank());
	}

	/** Runs promtool in the repository's root; skips without it, unless INLOOP_REQUIRE_PROMTOOL=1 (CI). */
	private static String promtool(String... arguments) throws IOException, InterruptedException {
		if (!Files.isExecutable(PROMTOOL)) {
			String why = "No promtool at " + PROMTOOL + " (Debian: apt-get install prometheus)";
			if ("1".equals(System.getenv("INLOOP_REQUIRE_PROMTOOL"))) {
				Assertions.fail(why + ", and INLOOP_REQUIRE_PROMTOOL=1 requires the alert rules to be checked");
			}
			System.err.println("SKIPPED: " + why);
			Assumptions.abort(why);
		}
		List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(OperationsKit.root().toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
		assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
		return output;
	}

}
