package io.inloop.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code inloop.*} settings as the configuration processor wrote them into
 * {@code META-INF/spring-configuration-metadata.json} (of the module under test and of the Inloop
 * modules on its classpath), against their tables in {@code docs/configuration.md}.
 */
public final class ConfigurationDocs {

	/** One table per service, and the settings every service has. */
	public static final String CONFIGURATION = "docs/configuration.md";

	/** The section of settings that every service has. */
	public static final String EVERY_SERVICE = "Every service";

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	// | `inloop.ledger.stall-after` | `15s` | meaning |
	private static final Pattern SETTING_ROW = Pattern.compile("^\\| `(inloop\\.[a-z0-9.-]+)` \\| ([^|]*) \\|",
			Pattern.MULTILINE);

	private ConfigurationDocs() {
	}

	/** Every {@code inloop.*} setting on the classpath, with its description (empty when it has none). */
	public static Map<String, String> settings() {
		Map<String, String> settings = new TreeMap<>();
		properties().forEach((name, property) -> settings.put(name, property.path("description").asString("")));
		return settings;
	}

	/**
	 * The settings whose default in the metadata (what IDEs show) the table of {@code section} does
	 * not give: each value, as written in {@code application.yml}, must be in the row's default column.
	 */
	public static Map<String, String> defaultsDisagreeing(String section) {
		Map<String, JsonNode> properties = properties();
		Map<String, String> documentedDefaults = rows(section);
		Map<String, String> disagreeing = new TreeMap<>();
		documentedDefaults.forEach((name, documented) -> {
			JsonNode metadata = properties.containsKey(name) ? properties.get(name).path("defaultValue") : null;
			if (metadata == null || metadata.isMissingNode()) {
				return;
			}
			Set<String> cell = Set.of(documented.replace("`", "").split("[,\\s()]+"));
			List<String> values = new ArrayList<>();
			if (metadata.isArray()) {
				metadata.forEach((value) -> values.add(value.asString()));
			}
			else if (metadata.isNumber()) {
				values.add(metadata.numberValue().toString().replaceFirst("\\.0$", ""));
			}
			else if (documented.contains("`" + metadata.asString() + "`")) {
				// Written whole, as one code span: a value with commas or brackets of its own (a regular
				// expression) agrees, though it would not split into the values of a list
				return;
			}
			else {
				// the processor writes a list's default as one string, "[a, b]"
				values.addAll(List.of(metadata.asString().replaceAll("^\\[|\\]$", "").split(",\\s*")));
			}
			if (!cell.containsAll(values)) {
				disagreeing.put(name, "metadata " + metadata + ", docs " + documented);
			}
		});
		return disagreeing;
	}

	private static Map<String, JsonNode> properties() {
		Map<String, JsonNode> properties = new TreeMap<>();
		JsonMapper json = JsonMapper.builder().build();
		try {
			for (URL url : Collections.list(ConfigurationDocs.class.getClassLoader().getResources(METADATA))) {
				try (InputStream in = url.openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						String name = property.path("name").asString();
						if (name.startsWith("inloop.")) {
							properties.put(name, property);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/** The settings documented in the section {@code ## <section>} of docs/configuration.md. */
	public static Set<String> documented(String section) {
		return new TreeSet<>(rows(section).keySet());
	}

	/** The settings of a section with their default column. */
	private static Map<String, String> rows(String section) {
		String docs = OperationsKit.read(CONFIGURATION);
		String heading = "\n## " + section + "\n";
		int start = docs.indexOf(heading);
		if (start < 0) {
			throw new IllegalStateException(CONFIGURATION + " has no section \"## " + section + "\"");
		}
		int end = docs.indexOf("\n## ", start + heading.length());
		Matcher row = SETTING_ROW.matcher(docs.substring(start, (end < 0) ? docs.length() : end));
		Map<String, String> rows = new TreeMap<>();
		while (row.find()) {
			rows.put(row.group(1), row.group(2));
		}
		return rows;
	}

	/** The settings {@code service} has that neither its section nor "Every service" documents. */
	public static Set<String> undocumented(String service) {
		Set<String> missing = new TreeSet<>(settings().keySet());
		missing.removeAll(documented(service));
		missing.removeAll(documented(EVERY_SERVICE));
		return missing;
	}

	/** The settings the section of {@code service} documents that it does not have (renamed or removed). */
	public static Set<String> stale(String service) {
		Set<String> stale = new TreeSet<>(documented(service));
		stale.removeAll(settings().keySet());
		return stale;
	}

}
