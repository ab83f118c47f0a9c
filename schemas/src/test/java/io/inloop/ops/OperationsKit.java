package io.inloop.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operations kit ({@code ops/}: the Grafana dashboard and the Prometheus alert rules) as the
 * tests see it: which metrics it uses, and which service {@code docs/operations.md} says exposes
 * each. Shared through the schemas test-jar so that every service's scrape test checks its own.
 */
public final class OperationsKit {

	/** The alert rules. */
	public static final String ALERTS = "ops/prometheus/alerts.yml";

	/** The alert rules' unit tests. */
	public static final String ALERT_TESTS = "ops/prometheus/alerts-tests.yml";

	/** An example Prometheus configuration: the scrape jobs the rules expect. */
	public static final String PROMETHEUS = "ops/prometheus/prometheus.yml";

	/** The dashboard. */
	public static final String DASHBOARD = "ops/grafana/inloop.json";

	/** The operations guide, whose metrics table names the service that exposes each metric. */
	public static final String OPERATIONS = "docs/operations.md";

	// Metric names only: label names and values (job="inloop-api") and settings (inloop.worker.x) never match
	private static final Pattern METRIC = Pattern
		.compile("\\b(?:inloop|kafka|process|jvm|http_server)_[a-z0-9_]*[a-z0-9]");

	// | `inloop_jobs_submitted_total{type}` | api | jobs accepted |
	private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z0-9_]+)(?:\\{[^}]*\\})?` \\| ([a-z, ]+) \\|",
			Pattern.MULTILINE);

	private static final Pattern HISTOGRAM_SERIES = Pattern.compile("_(?:bucket|count|sum)$");

	private OperationsKit() {
	}

	/** The repository's root directory, found from the module the test runs in. */
	public static Path root() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.isDirectory(directory.resolve("ops"))) {
			directory = directory.getParent();
		}
		if (directory == null) {
			throw new IllegalStateException("No ops/ directory above " + Path.of("").toAbsolutePath());
		}
		return directory;
	}

	/** A file of the repository, read. */
	public static String read(String path) {
		try {
			return Files.readString(root().resolve(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every metric (sample) name the alert rules and the dashboard use, e.g. {@code inloop_jobs_queue_wait_seconds_bucket}. */
	public static Set<String> usedMetrics() {
		Set<String> names = new TreeSet<>();
		for (String file : new String[] { ALERTS, DASHBOARD }) {
			Matcher matcher = METRIC.matcher(read(file));
			while (matcher.find()) {
				names.add(matcher.group());
			}
		}
		return names;
	}

	/** The metric a sample name belongs to: a histogram's {@code _bucket}, {@code _count} and {@code _sum} are its own. */
	public static String metricOf(String sample) {
		return HISTOGRAM_SERIES.matcher(sample).replaceFirst("");
	}

	/** The metrics table of docs/operations.md: each metric with the services that expose it ({@code all} is every one). */
	public static Map<String, Set<String>> documentedMetrics() {
		Map<String, Set<String>> metrics = new LinkedHashMap<>();
		Matcher row = TABLE_ROW.matcher(read(OPERATIONS));
		while (row.find()) {
			metrics.put(row.group(1), Arrays.stream(row.group(2).split(","))
				.map(String::trim)
				.collect(Collectors.toCollection(TreeSet::new)));
		}
		return metrics;
	}

	/**
	 * The sample names the kit uses that docs/operations.md says {@code service} exposes
	 * ({@code api}, {@code worker} or {@code notifier}): what that service's scrape must show.
	 */
	public static Set<String> usedMetricsOf(String service) {
		Map<String, Set<String>> documented = documentedMetrics();
		return usedMetrics().stream().filter((sample) -> {
			Set<String> services = documented.getOrDefault(metricOf(sample), Set.of());
			return services.contains(service) || services.contains("all");
		}).collect(Collectors.toCollection(TreeSet::new));
	}

	/**
	 * What the kit uses of {@code service} that its {@code scrape} does not show; a histogram
	 * named by its metric's name is there when its {@code _count} is.
	 */
	public static Set<String> missingFrom(String scrape, String service) {
		Set<String> exposed = exposed(scrape);
		return usedMetricsOf(service).stream()
			.filter((name) -> !exposed.contains(name) && !exposed.contains(name + "_count"))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/** The sample names of a Prometheus scrape. */
	public static Set<String> exposed(String scrape) {
		return scrape.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split("[{ ]", 2)[0])
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
