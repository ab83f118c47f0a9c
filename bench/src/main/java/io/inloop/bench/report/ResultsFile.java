package io.inloop.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A results file as the bench writes it: one JSON line per run (NDJSON), read back to compare. */
public final class ResultsFile {

	private final Path file;

	/** Every line, numbered from 1; null where a line is not a run (blank, or not JSON). */
	private final List<@Nullable JsonNode> lines;

	private ResultsFile(Path file, List<@Nullable JsonNode> lines) {
		this.file = file;
		this.lines = lines;
	}

	public static ResultsFile read(Path file, JsonMapper json) {
		if (!Files.isRegularFile(file)) {
			throw new CannotRun("Results file " + file + " does not exist");
		}
		List<String> text;
		try {
			text = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new CannotRun("Cannot read " + file + ": " + ex.getMessage());
		}
		return parse(file, text, json);
	}

	static ResultsFile parse(Path file, List<String> text, JsonMapper json) {
		List<@Nullable JsonNode> lines = new ArrayList<>(text.size());
		for (String line : text) {
			JsonNode run = null;
			if (!line.isBlank()) {
				try {
					JsonNode node = json.readTree(line);
					run = (node.isObject() && node.path("workload").isString()) ? node : null;
				}
				catch (JacksonException ex) {
					// not a run: skipped, and refused if asked for by number
				}
			}
			lines.add(run);
		}
		return new ResultsFile(file, lines);
	}

	/** The last run of this workload. */
	public Optional<Run> latest(String workload) {
		for (int i = this.lines.size() - 1; i >= 0; i--) {
			JsonNode line = this.lines.get(i);
			if (line != null && workload.equals(line.path("workload").asString())) {
				return Optional.of(new Run(this.file, i + 1, line));
			}
		}
		return Optional.empty();
	}

	/** The run on line {@code number} (from 1; -1 is the last line, -2 the one before). */
	public Run line(int number) {
		int index = (number < 0) ? this.lines.size() + number : number - 1;
		if (number == 0 || index < 0 || index >= this.lines.size()) {
			throw new CannotRun(this.file + " has " + this.lines.size() + " lines, no line " + number);
		}
		JsonNode line = this.lines.get(index);
		if (line == null) {
			throw new CannotRun("Line " + (index + 1) + " of " + this.file + " is not a run of the bench");
		}
		return new Run(this.file, index + 1, line);
	}

	/** The workloads that have runs here, in the order of their first run. */
	public Set<String> workloads() {
		Set<String> workloads = new LinkedHashSet<>();
		this.lines.forEach((line) -> {
			if (line != null) {
				workloads.add(line.path("workload").asString());
			}
		});
		return workloads;
	}

	/**
	 * One run: a line of a results file.
	 *
	 * @param file the file
	 * @param number its line number, from 1
	 * @param json the line
	 */
	public record Run(Path file, int number, JsonNode json) {

		public String workload() {
			return this.json.path("workload").asString();
		}

		/** {@code results.ndjson line 12: w2 of 2026-12-07T06:00:00Z, commit e2565f8, peer socketio}. */
		public String describe() {
			String commit = this.json.path("commit").asString("");
			String peer = this.json.path("parameters").path("peer").asString("");
			return this.file + " line " + this.number + ": " + workload() + " of " + this.json.path("timestamp").asString("?")
					+ (commit.isEmpty() ? "" : ", commit " + commit.substring(0, Math.min(7, commit.length())))
					+ (this.json.path("dirty").asBoolean(false) ? " (uncommitted changes)" : "")
					+ (peer.isEmpty() ? "" : ", peer " + peer);
		}

	}

}
