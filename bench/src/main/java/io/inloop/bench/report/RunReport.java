package io.inloop.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outcome of one workload: printed as a table, appended as one JSON line to the results file.
 */
public final class RunReport {

	private final String workload;

	private final String title;

	private final Instant startedAt = Instant.now();

	private final Map<String, Object> parameters = new LinkedHashMap<>();

	private final List<Row> rows = new ArrayList<>();

	private final List<String> details = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	public RunReport(String workload, String title) {
		this.workload = workload;
		this.title = title;
	}

	public String workload() {
		return this.workload;
	}

	public RunReport parameter(String key, Object value) {
		this.parameters.put(key, value);
		return this;
	}

	/** A figure: {@code key} in the JSON, {@code label} and {@code unit} in the table. */
	public RunReport figure(String key, String label, @Nullable Object value, String unit) {
		this.rows.add(new Figure(key, label, value, unit));
		return this;
	}

	/** A figure for the JSON line only, shown in the table some other way (e.g. by {@link #detail}). */
	public RunReport data(String key, @Nullable Object value) {
		this.rows.add(new Figure(key, null, value, ""));
		return this;
	}

	/** Count, p50, p90, p99 and max of a histogram in microseconds, shown in milliseconds. */
	public RunReport latency(String key, String label, Histogram micros) {
		this.rows.add(new Latency(key, label, micros.copy()));
		return this;
	}

	/** A line shown in the table only (its figures go into the JSON as figures). */
	public RunReport detail(String line) {
		this.details.add(line);
		return this;
	}

	/** A remark kept with the figures: how something was measured, what could not be. */
	public RunReport note(String note) {
		this.notes.add(note);
		return this;
	}

	public void print(PrintStream out) {
		out.println();
		out.println("== " + this.title + " ==");
		if (!this.parameters.isEmpty()) {
			StringBuilder line = new StringBuilder("   ");
			this.parameters.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
			out.println(line);
		}
		boolean latencyHeader = false;
		for (Row row : this.rows) {
			if (row instanceof Latency latency) {
				if (!latencyHeader) {
					out.printf(Locale.ROOT, "  %-44s %7s %9s %9s %9s %9s%n", "latency (ms)", "count", "p50", "p90", "p99",
							"max");
					latencyHeader = true;
				}
				Histogram h = latency.micros();
				out.printf(Locale.ROOT, "  %-44s %7d %9.2f %9.2f %9.2f %9.2f%n", latency.label(), h.getTotalCount(),
						ms(h, 50), ms(h, 90), ms(h, 99), Latencies.millis(h.getMaxValue()));
			}
		}
		for (Row row : this.rows) {
			if (row instanceof Figure figure && figure.label() != null) {
				out.printf(Locale.ROOT, "  %-44s %15s %s%n", figure.label(), format(figure.value()), figure.unit());
			}
		}
		this.details.forEach((line) -> out.println("  " + line));
		this.notes.forEach((note) -> out.println("  note: " + note));
		out.flush();
	}

	public ObjectNode toJson(JsonMapper json, Machine machine) {
		ObjectNode line = json.createObjectNode();
		line.put("timestamp", this.startedAt.toString());
		line.put("workload", this.workload);
		line.set("parameters", json.valueToTree(this.parameters));
		ObjectNode figures = line.putObject("figures");
		for (Row row : this.rows) {
			if (row instanceof Figure figure) {
				figures.set(figure.key(), json.valueToTree(figure.value()));
			}
			else if (row instanceof Latency latency) {
				Histogram h = latency.micros();
				figures.putObject(latency.key())
					.put("count", h.getTotalCount())
					.put("p50", ms(h, 50))
					.put("p90", ms(h, 90))
					.put("p99", ms(h, 99))
					.put("max", Latencies.millis(h.getMaxValue()))
					.put("mean", Math.round(h.getMean() / 10.0) / 100.0);
			}
		}
		if (!this.notes.isEmpty()) {
			line.set("notes", json.valueToTree(this.notes));
		}
		line.put("commit", machine.commit());
		line.put("dirty", machine.dirty());
		line.putObject("machine")
			.put("cores", machine.cores())
			.put("memoryBytes", machine.memoryBytes())
			.put("os", machine.os())
			.put("java", machine.java());
		return line;
	}

	/** Appends this run as one line of NDJSON. */
	public void append(Path results, JsonMapper json, Machine machine) throws IOException {
		Path parent = results.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.writeString(results, json.writeValueAsString(toJson(json, machine)) + "\n", StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private static double ms(Histogram micros, double percentile) {
		return Latencies.millis(micros.getValueAtPercentile(percentile));
	}

	private static String format(@Nullable Object value) {
		if (value == null) {
			return "n/a";
		}
		if (value instanceof Double number) {
			return String.format(Locale.ROOT, "%.1f", number);
		}
		return value.toString();
	}

	private sealed interface Row permits Figure, Latency {
	}

	private record Figure(String key, @Nullable String label, @Nullable Object value, String unit) implements Row {
	}

	private record Latency(String key, String label, Histogram micros) implements Row {
	}

}
