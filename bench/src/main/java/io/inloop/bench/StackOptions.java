package io.inloop.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the stack under test is, and where the results go: shared by every workload. */
public final class StackOptions {

	@Option(names = "--api", defaultValue = "http://localhost:8080", paramLabel = "<url>",
			description = "api-service (default: ${DEFAULT-VALUE}).")
	public URI api;

	@Option(names = "--ws", defaultValue = "ws://localhost:8090/ws", paramLabel = "<url>", split = ",",
			description = "The notifier's WebSocket (default: ${DEFAULT-VALUE}); w3 and w4 take several "
					+ "(comma-separated or repeated) and spread their connections over them, the others use the first.")
	public List<URI> webSockets;

	/** The first notifier's WebSocket: the one every workload but w3 and w4 uses. */
	public URI webSocket() {
		return this.webSockets.get(0);
	}

	@Option(names = "--kafka", defaultValue = "localhost:9092", paramLabel = "<host:port>",
			description = "The stack's Kafka (default: ${DEFAULT-VALUE}): w2 and the soak read the status topic back "
					+ "to explain each version a client did not get.")
	public String kafka;

	@Option(names = "--sign-tokens", paramLabel = "<key-file>",
			description = "Sign users' tokens with this private key (the local stack's is .inloop/jwt-private.pem) or HMAC secret instead of "
					+ "asking api-service for each: faster, and runs without api-service (./inloop start --services notifier-service).")
	public @Nullable Path signTokens;

	@Option(names = "--results", defaultValue = ".inloop/bench/results.ndjson", paramLabel = "<file>",
			description = "Appends one JSON line per run (default: ${DEFAULT-VALUE}).")
	public Path results;

	@Option(names = "--baseline", paramLabel = "<results.ndjson>",
			description = "After the run, compare each figure with the latest run of the same workload in this file "
					+ "(read before this run's line is appended, so it may be the results file itself).")
	public @Nullable Path baseline;

}
