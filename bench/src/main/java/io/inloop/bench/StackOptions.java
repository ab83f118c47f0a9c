package io.inloop.bench;

import java.net.URI;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where the stack under test is, and where the results go: shared by every workload. */
public final class StackOptions {

	@Option(names = "--api", defaultValue = "http://localhost:8080", paramLabel = "<url>",
			description = "api-service (default: ${DEFAULT-VALUE}).")
	public URI api;

	@Option(names = "--ws", defaultValue = "ws://localhost:8090/ws", paramLabel = "<url>",
			description = "The notifier's WebSocket (default: ${DEFAULT-VALUE}).")
	public URI webSocket;

	@Option(names = "--results", defaultValue = ".inloop/bench/results.ndjson", paramLabel = "<file>",
			description = "Appends one JSON line per run (default: ${DEFAULT-VALUE}).")
	public Path results;

}
