package io.inloop.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The percentile distribution of latency histograms as an SVG line chart: latency up, percentile
 * along, on the usual "number of nines" scale so that the tail gets as much room as the median.
 */
public final class LatencyPlot {

	private static final int WIDTH = 800;

	private static final int HEIGHT = 480;

	private static final int LEFT = 70;

	private static final int RIGHT = 20;

	private static final int TOP = 40;

	private static final int BOTTOM = 60;

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e" };

	private final String title;

	private final List<Series> series = new ArrayList<>();

	public LatencyPlot(String title) {
		this.title = title;
	}

	/** Adds a histogram in microseconds. */
	public LatencyPlot add(String label, Histogram micros) {
		this.series.add(new Series(label, micros.copy()));
		return this;
	}

	public void write(Path file) throws IOException {
		Svg.write(file, svg());
	}

	String svg() {
		long samples = this.series.stream().mapToLong((s) -> s.micros().getTotalCount()).max().orElse(1);
		// As many nines as the samples can tell apart (300 samples: up to 99.67 %), at least two.
		double maxNines = Math.max(2, Math.ceil(Math.log10(Math.max(1, samples))));
		double maxMillis = Svg.niceCeiling(this.series.stream()
			.mapToDouble((s) -> Latencies.millis(s.micros().getMaxValue()))
			.max()
			.orElse(1));
		double plotWidth = WIDTH - LEFT - RIGHT;
		double plotHeight = HEIGHT - TOP - BOTTOM;

		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
				WIDTH, HEIGHT, WIDTH, HEIGHT));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, Svg.escape(this.title)));

		// Y grid and labels: five steps of milliseconds.
		for (int i = 0; i <= 5; i++) {
			double millis = maxMillis * i / 5;
			double y = TOP + plotHeight - plotHeight * i / 5;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
					LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4, Svg.trim(millis)));
		}
		// X grid and labels: 0 %, 90 %, 99 %, 99.9 %, ...
		for (int nines = 0; nines <= maxNines; nines++) {
			double x = LEFT + plotWidth * nines / maxNines;
			String label = (nines == 0) ? "0%" : Svg.trim(100 - 100 / Math.pow(10, nines)) + "%";
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
					x, TOP, x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 18, label));
		}
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, TOP,
				plotWidth, plotHeight));
		svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
				LEFT + plotWidth / 2, HEIGHT - 20));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">latency (ms)</text>%n",
				TOP + plotHeight / 2, TOP + plotHeight / 2));

		for (int i = 0; i < this.series.size(); i++) {
			Series s = this.series.get(i);
			String colour = COLOURS[i % COLOURS.length];
			StringBuilder points = new StringBuilder();
			if (s.micros().getTotalCount() > 0) {
				for (HistogramIterationValue value : s.micros().percentiles(5)) {
					double percentile = Math.min(value.getPercentileLevelIteratedTo(), 100);
					double nines = (percentile >= 100) ? maxNines : Math.min(maxNines, Math.log10(100 / (100 - percentile)));
					double x = LEFT + plotWidth * nines / maxNines;
					double y = TOP + plotHeight
							- plotHeight * Math.min(1, Latencies.millis(value.getValueIteratedTo()) / maxMillis);
					points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
				}
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour,
					points.toString().trim()));
			double legendY = TOP + 16 + 18 * i;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\" y=\"%.1f\">%s (n=%d, p50 %s ms, p99 %s ms)</text>%n",
					LEFT + 12, legendY, LEFT + 36, legendY, colour, LEFT + 42, legendY + 4, Svg.escape(s.label()),
					s.micros().getTotalCount(), Svg.trim(Latencies.millis(s.micros().getValueAtPercentile(50))),
					Svg.trim(Latencies.millis(s.micros().getValueAtPercentile(99)))));
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private record Series(String label, Histogram micros) {
	}

}
