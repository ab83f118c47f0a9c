package io.inloop.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Two runs of one workload side by side: every numeric figure both have (nested ones by their
 * path, e.g. {@code cpuMsPerJob.stack}; lists are left out), the ratio now / baseline and which
 * way is better. The parameters that differ are listed, since they make the figures incomparable.
 *
 * @param rows the figures both runs have, in the order of the run now
 * @param parameterChanges {@code name: baseline -> now} for each parameter that differs
 * @param onlyInOne figures only one of the runs has
 */
public record Comparison(List<Row> rows, List<String> parameterChanges, Set<String> onlyInOne) {

	/** A move smaller than this (10 %) is not called better or worse: runs on this machine differ more. */
	static final double NOTEWORTHY = 0.10;

	public static Comparison of(JsonNode baseline, JsonNode now) {
		Map<String, Double> before = numbers(baseline.path("figures"));
		Map<String, Double> after = numbers(now.path("figures"));
		List<Row> rows = new ArrayList<>();
		Set<String> onlyInOne = new TreeSet<>();
		after.forEach((figure, value) -> {
			Double old = before.get(figure);
			if (old != null) {
				rows.add(new Row(figure, old, value, Better.of(figure)));
			}
			else {
				onlyInOne.add(figure);
			}
		});
		before.keySet().stream().filter((figure) -> !after.containsKey(figure)).forEach(onlyInOne::add);
		List<String> changes = new ArrayList<>();
		Set<String> parameters = new TreeSet<>();
		baseline.path("parameters").propertyNames().forEach(parameters::add);
		now.path("parameters").propertyNames().forEach(parameters::add);
		for (String parameter : parameters) {
			JsonNode old = baseline.path("parameters").get(parameter);
			JsonNode current = now.path("parameters").get(parameter);
			if (!same(old, current)) {
				changes.add(parameter + ": " + text(old) + " -> " + text(current));
			}
		}
		return new Comparison(rows, changes, onlyInOne);
	}

	private static String text(@Nullable JsonNode value) {
		return (value == null) ? "-" : value.isString() ? value.asString() : value.toString();
	}

	/** Equal values: 0 read back from a file and 0L of this run are the same number. */
	private static boolean same(@Nullable JsonNode a, @Nullable JsonNode b) {
		if (a != null && b != null && a.isNumber() && b.isNumber()) {
			return a.decimalValue().compareTo(b.decimalValue()) == 0;
		}
		return Objects.equals(a, b);
	}

	/** Every number under {@code figures}, by its path; lists are per-instance details and left out. */
	static Map<String, Double> numbers(JsonNode figures) {
		Map<String, Double> numbers = new LinkedHashMap<>();
		collect("", figures, numbers);
		return numbers;
	}

	private static void collect(String path, JsonNode node, Map<String, Double> numbers) {
		if (node.isNumber()) {
			numbers.put(path, node.asDouble());
		}
		else if (node.isObject()) {
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				collect(path.isEmpty() ? member.getKey() : path + "." + member.getKey(), member.getValue(), numbers);
			}
		}
	}

	public void print(PrintStream out, String baseline, String now) {
		out.println();
		out.println("== Compared with a baseline ==");
		out.println("  baseline: " + baseline);
		out.println("  now:      " + now);
		this.parameterChanges.forEach((change) -> out.println("  parameter changed, figures not comparable as they are: " + change));
		out.printf(Locale.ROOT, "  %-40s %12s %12s %9s  %-7s %s%n", "figure", "baseline", "now", "now/base", "better", "");
		for (Row row : this.rows) {
			Double ratio = row.ratio();
			boolean counts = isWhole(row.baseline()) && isWhole(row.now());
			out.printf(Locale.ROOT, "  %-40s %12s %12s %9s  %-7s %s%n", row.figure(), number(row.baseline(), counts),
					number(row.now(), counts),
					(ratio != null) ? String.format(Locale.ROOT, "%.2f", ratio) : "-", row.better().word, row.verdict());
		}
		if (!this.onlyInOne.isEmpty()) {
			out.println("  only in one of the runs: " + String.join(", ", this.onlyInOne));
		}
		out.println("  note: better/worse marks moves of 10 % or more the right or wrong way; runs on this machine differ by up to"
				+ " a third, so compare runs of one sitting");
		out.flush();
	}

	private static boolean isWhole(double value) {
		return value == Math.rint(value) && Math.abs(value) < 1e12;
	}

	private static String number(double value, boolean whole) {
		return whole ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
	}

	/** Which way a figure should move. */
	public enum Better {

		LOWER("lower"), HIGHER("higher"), NEITHER("");

		private final String word;

		Better(String word) {
			this.word = word;
		}

		/** By the figure's name: rates are better higher; times, CPU, memory and losses lower; counts neither. */
		static Better of(String figure) {
			String path = figure.toLowerCase(Locale.ROOT);
			String leaf = path.substring(path.lastIndexOf('.') + 1);
			if (leaf.equals("count")) {
				return NEITHER;
			}
			if (path.contains("persecond") || leaf.endsWith("rate")) {
				return HIGHER;
			}
			for (String costly : List.of("cpu", "rss", "heap", "bytes", "threadcount", "lost", "duplicated", "outoforder",
					"afterterminal", "unfinished", "failed", "timedout", "rejected", "notdone", "lag", "seconds", "millis")) {
				if (path.contains(costly)) {
					return LOWER;
				}
			}
			for (String segment : figure.split("\\.")) {
				if (segment.endsWith("Ms") || segment.endsWith("Micros")) {
					return LOWER;
				}
			}
			return NEITHER;
		}

	}

	/**
	 * One figure in both runs.
	 *
	 * @param figure its path under {@code figures}
	 * @param baseline its value in the baseline
	 * @param now its value now
	 * @param better which way is better
	 */
	public record Row(String figure, double baseline, double now, Better better) {

		/** now / baseline; 1 when both are 0, null when only the baseline is. */
		public @Nullable Double ratio() {
			if (this.baseline == 0) {
				return (this.now == 0) ? 1.0 : null;
			}
			return this.now / this.baseline;
		}

		/** "better" or "worse" for a move of 10 % or more the right or wrong way, else empty. */
		public String verdict() {
			Double ratio = ratio();
			if (this.better == Better.NEITHER || (ratio != null && Math.abs(ratio - 1) < NOTEWORTHY)) {
				return "";
			}
			boolean up = (ratio != null) ? ratio > 1 : this.now > 0;
			return (up == (this.better == Better.HIGHER)) ? "better" : "worse";
		}

	}

}
