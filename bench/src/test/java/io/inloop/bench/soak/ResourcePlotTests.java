package io.inloop.bench.soak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcePlotTests {

	private static final Pattern POLYLINE = Pattern.compile("<polyline [^>]*points=\"([^\"]*)\"");

	@Test
	void drawsHeapRssAndFilesOfEveryServiceAsOneLineEachWithEverySample() {
		Map<String, List<Soak.Sample>> samples = new LinkedHashMap<>();
		samples.put("api-service", List.of(new Soak.Sample(0, 100 << 20, 400 << 20, 300),
				new Soak.Sample(60, 120 << 20, 420 << 20, 310), new Soak.Sample(120, 110 << 20, 430 << 20, 305)));
		samples.put("notifier-service", List.of(new Soak.Sample(0, 50 << 20, 300 << 20, 200),
				new Soak.Sample(60, -1, 310 << 20, 201), new Soak.Sample(120, 60 << 20, 320 << 20, 202)));

		String svg = new ResourcePlot("Soak <test>", samples, 60).svg();

		List<String> lines = POLYLINE.matcher(svg).results().map((match) -> match.group(1)).toList();
		assertThat(lines).as("heap, RSS and fds for each of two services").hasSize(6);
		assertThat(lines.get(0).split(" ")).as("api-service's heap: every sample").hasSize(3);
		assertThat(lines.get(1).split(" ")).as("notifier-service's heap: the unreadable sample left out").hasSize(2);
		assertThat(svg).contains(">api-service<", ">notifier-service<", "Soak &lt;test&gt;", "heap after a full GC (MiB)",
				"resident memory (MiB)", "open file descriptors");
	}

	@Test
	void theHighestSampleStaysInsideItsChart() {
		Map<String, List<Soak.Sample>> samples = Map.of("worker-service",
				List.of(new Soak.Sample(0, 10 << 20, 100 << 20, 40), new Soak.Sample(30, 90 << 20, 300 << 20, 48)));
		String svg = new ResourcePlot("Soak", samples, 0).svg();
		Matcher heap = POLYLINE.matcher(svg);
		assertThat(heap.find()).isTrue();
		for (String point : heap.group(1).split(" ")) {
			double y = Double.parseDouble(point.split(",")[1]);
			assertThat(y).as("inside the first chart (64 to 284)").isBetween(64.0, 284.0);
		}
	}

}
