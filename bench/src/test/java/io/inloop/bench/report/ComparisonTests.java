package io.inloop.bench.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparisonTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void comparesEveryNumberBothRunsHaveByItsPath() {
		JsonNode baseline = run("{\"workload\":\"w2\",\"parameters\":{\"users\":200,\"delayMs\":0},\"figures\":{\"jobsPerSecond\":200.0,"
				+ "\"cpuMsPerJob\":{\"stack\":8.0,\"api-service\":3.0},\"terminalMs\":{\"count\":2000,\"p50\":100.0},"
				+ "\"cpuProcesses\":[{\"cpuMs\":1.0}],\"plot\":\"a.svg\",\"lost\":0,\"old\":1}}");
		JsonNode now = run("{\"workload\":\"w2\",\"parameters\":{\"users\":100,\"delayMs\":0.0,\"peer\":\"socketio\"},\"figures\":{\"jobsPerSecond\":250.0,"
				+ "\"cpuMsPerJob\":{\"stack\":8.4,\"api-service\":2.0},\"terminalMs\":{\"count\":2000,\"p50\":150.0},"
				+ "\"cpuProcesses\":[{\"cpuMs\":2.0}],\"plot\":\"b.svg\",\"lost\":0,\"new\":1}}");

		Comparison comparison = Comparison.of(baseline, now);

		assertThat(comparison.rows()).extracting(Comparison.Row::figure)
			.containsExactly("jobsPerSecond", "cpuMsPerJob.stack", "cpuMsPerJob.api-service", "terminalMs.count", "terminalMs.p50", "lost");
		assertThat(comparison.rows()).extracting(Comparison.Row::verdict).containsExactly("better", "", "better", "", "worse", "");
		assertThat(comparison.rows().get(0).ratio()).isEqualTo(1.25);
		assertThat(comparison.parameterChanges()).containsExactly("peer: - -> socketio", "users: 200 -> 100");
		assertThat(comparison.onlyInOne()).containsExactly("new", "old");
	}

	@Test
	void knowsWhichWayEachKindOfFigureIsBetter() {
		assertThat(Comparison.Better.of("jobsPerSecond")).isEqualTo(Comparison.Better.HIGHER);
		assertThat(Comparison.Better.of("connectRate")).isEqualTo(Comparison.Better.HIGHER);
		assertThat(Comparison.Better.of("succeededMs.p99")).isEqualTo(Comparison.Better.LOWER);
		assertThat(Comparison.Better.of("succeededMs.count")).isEqualTo(Comparison.Better.NEITHER);
		assertThat(Comparison.Better.of("cpuPercent.stack")).isEqualTo(Comparison.Better.LOWER);
		assertThat(Comparison.Better.of("rssMiB.node server")).isEqualTo(Comparison.Better.LOWER);
		assertThat(Comparison.Better.of("readySeconds.median")).isEqualTo(Comparison.Better.LOWER);
		assertThat(Comparison.Better.of("outOfOrder")).isEqualTo(Comparison.Better.LOWER);
		assertThat(Comparison.Better.of("accepted")).isEqualTo(Comparison.Better.NEITHER);
	}

	@Test
	void aFigureThatWasZeroHasNoRatioUnlessItStillIs() {
		Comparison.Row appeared = new Comparison.Row("lost", 0, 3, Comparison.Better.LOWER);
		Comparison.Row still = new Comparison.Row("lost", 0, 0, Comparison.Better.LOWER);

		assertThat(appeared.ratio()).isNull();
		assertThat(appeared.verdict()).isEqualTo("worse");
		assertThat(still.ratio()).isEqualTo(1.0);
		assertThat(still.verdict()).isEmpty();
	}

	@Test
	void findsTheLatestRunOfAWorkloadAndLinesFromEitherEnd() {
		ResultsFile file = ResultsFile.parse(Path.of("r.ndjson"), List.of(
				"{\"workload\":\"w1\",\"figures\":{\"n\":1}}",
				"{\"workload\":\"w2\",\"figures\":{\"n\":2}}",
				"not json",
				"",
				"{\"workload\":\"w1\",\"figures\":{\"n\":3}}"), this.json);

		assertThat(file.latest("w1").map(ResultsFile.Run::number)).contains(5);
		assertThat(file.latest("w2").map(ResultsFile.Run::number)).contains(2);
		assertThat(file.latest("idle")).isEmpty();
		assertThat(file.line(-1).number()).isEqualTo(5);
		assertThat(file.line(1).json().path("figures").path("n").asInt()).isEqualTo(1);
		assertThat(file.workloads()).containsExactly("w1", "w2");
		assertThatThrownBy(() -> file.line(3)).isInstanceOf(CannotRun.class).hasMessageContaining("not a run");
		assertThatThrownBy(() -> file.line(9)).isInstanceOf(CannotRun.class).hasMessageContaining("no line 9");
	}

	@Test
	void aMissingFileIsACleanError() {
		assertThatThrownBy(() -> ResultsFile.read(Path.of("/nonexistent/results.ndjson"), this.json)).isInstanceOf(CannotRun.class)
			.hasMessage("Results file /nonexistent/results.ndjson does not exist");
	}

	@Test
	void flattensNestedFiguresAndSkipsListsAndText() {
		assertThat(Comparison.numbers(run("{\"a\":{\"b\":{\"c\":1.5}},\"l\":[1,2],\"s\":\"x\",\"t\":true}")))
			.containsExactly(Map.entry("a.b.c", 1.5));
	}

	private JsonNode run(String text) {
		return this.json.readTree(text);
	}

}
