package io.inloop.bench.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyPlotTests {

	@Test
	void drawsOneLabelledLinePerHistogram() {
		Histogram slow = Latencies.histogram();
		Histogram fast = Latencies.histogram();
		for (int i = 1; i <= 300; i++) {
			slow.recordValue(i * 300L);
			fast.recordValue(i * 100L);
		}

		String svg = new LatencyPlot("W1 <test>").add("POST → SUCCEEDED", slow).add("POST → response", fast).svg();

		assertThat(svg).startsWith("<svg").endsWith("</svg>\n").contains("W1 &lt;test&gt;");
		assertThat(svg.split("<polyline", -1)).hasSize(3);
		assertThat(svg).contains("POST → SUCCEEDED (n=300").contains("99.9%").contains(">100<");
	}

}
