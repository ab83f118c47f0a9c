package io.inloop.bench.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.inloop.bench.report.Svg;

/**
 * The soak's samples as an SVG: three charts one above the other (heap after a full GC, resident
 * memory, open file descriptors), time along, one line per service, the warm-up shaded.
 */
final class ResourcePlot {

	private static final double MIB = 1024 * 1024;

	private static final int WIDTH = 800;

	private static final int PANEL = 220;

	private static final int LEFT = 70;

	private static final int RIGHT = 170;

	private static final int TOP = 64;

	private static final int GAP = 50;

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd" };

	private record Panel(String title, ToDoubleFunction<Soak.Sample> value) {
	}

	private static final List<Panel> PANELS = List.of(
			new Panel("heap after a full GC (MiB)", (sample) -> (sample.heap() < 0) ? Double.NaN : sample.heap() / MIB),
			new Panel("resident memory (MiB)", (sample) -> (sample.rss() < 0) ? Double.NaN : sample.rss() / MIB),
			new Panel("open file descriptors", (sample) -> (sample.openFiles() < 0) ? Double.NaN : sample.openFiles()));

	private final String title;

	private final Map<String, List<Soak.Sample>> samples;

	private final double warmUpSeconds;

	ResourcePlot(String title, Map<String, List<Soak.Sample>> samples, double warmUpSeconds) {
		this.title = title;
		this.samples = samples;
		this.warmUpSeconds = warmUpSeconds;
	}

	void write(Path file) throws IOException {
		Svg.write(file, svg());
	}

	String svg() {
		int height = TOP + PANELS.size() * (PANEL + GAP);
		// Whole minutes along: a 30-minute run is drawn over 0 to 30, not to 33.3
		double maxSeconds = 60 * Svg.niceCeiling(this.samples.values().stream().flatMap(List::stream)
			.mapToDouble(Soak.Sample::seconds).max().orElse(60) / 60);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				+ "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, Svg.escape(this.title)));
		for (int p = 0; p < PANELS.size(); p++) {
			panel(svg, PANELS.get(p), TOP + p * (PANEL + GAP), maxSeconds);
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private void panel(StringBuilder svg, Panel panel, int top, double maxSeconds) {
		double max = Svg.niceCeiling(this.samples.values().stream().flatMap(List::stream)
			.mapToDouble(panel.value()).filter((v) -> !Double.isNaN(v)).max().orElse(1));
		int plotWidth = WIDTH - LEFT - RIGHT;
		int bottom = top + PANEL;
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 8,
				Svg.escape(panel.title())));
		double warmUpX = LEFT + plotWidth * Math.min(1, this.warmUpSeconds / maxSeconds);
		svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eee\"/>%n", LEFT, top,
				warmUpX - LEFT, PANEL));
		for (int i = 0; i <= 4; i++) {
			double y = bottom - PANEL * i / 4.0;
			svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ccc\"/>%n", LEFT, y,
					LEFT + plotWidth, y));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
					Svg.trim(max * i / 4)));
			double x = LEFT + plotWidth * i / 4.0;
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, bottom + 16,
					Svg.trim(maxSeconds * i / 4 / 60) + " min"));
		}
		svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
				LEFT, top, plotWidth, PANEL));
		int colour = 0;
		for (Map.Entry<String, List<Soak.Sample>> service : this.samples.entrySet()) {
			String stroke = COLOURS[colour % COLOURS.length];
			StringBuilder points = new StringBuilder();
			for (Soak.Sample sample : service.getValue()) {
				double value = panel.value().applyAsDouble(sample);
				if (!Double.isNaN(value)) {
					points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotWidth * sample.seconds() / maxSeconds,
							bottom - PANEL * value / max));
				}
			}
			svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
					stroke, points.toString().trim()));
			int legendY = top + 16 + colour * 18;
			svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
					LEFT + plotWidth + 10, legendY - 4, LEFT + plotWidth + 30, legendY - 4, stroke));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotWidth + 36, legendY,
					Svg.escape(service.getKey())));
			colour++;
		}
	}


}
