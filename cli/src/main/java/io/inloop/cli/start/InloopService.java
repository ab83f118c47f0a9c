package io.inloop.cli.start;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The three services of the local stack, in start order, and where each reports readiness. */
enum InloopService {

	API("api-service", 8080, "-XX:+UseSerialGC", "-Xms256m", "-Xmx512m"),
	WORKER("worker-service", 8070, "-XX:+UseSerialGC", "-Xms256m", "-Xmx512m"),
	// Idle WebSockets live in the heap: room for tens of thousands of them. G1 with a short pause
	// target: at 30,000 frames/s the serial collector paused 75 ms every 0.4 s, and 0.5 s in full
	// collections, each pause a lag spike for every connected user.
	NOTIFIER("notifier-service", 8090, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=10", "-Xms256m", "-Xmx1g");

	/**
	 * JVM options of every service on one machine shared with the broker and the others: two
	 * event-loop threads per HTTP server instead of max(cores, 4). The API and the worker use the
	 * serial collector (it pauses a few ms on their heaps, and no GC threads compete for the cores).
	 */
	private static final class Shared {

		static final Map<String, String> PROPERTIES = Map.of("reactor.netty.ioWorkerCount", "2");

		static final List<String> OPTIONS = Stream
			.concat(PROPERTIES.entrySet().stream().map((property) -> "-D" + property.getKey() + "=" + property.getValue()),
					Stream.of("-XX:+ExitOnOutOfMemoryError"))
			.toList();

	}

	private final String module;

	private final int httpPort;

	private final List<String> javaOptions;

	InloopService(String module, int httpPort, String... jvmOptions) {
		this.module = module;
		this.httpPort = httpPort;
		List<String> options = new ArrayList<>(Shared.OPTIONS);
		options.addAll(List.of(jvmOptions));
		this.javaOptions = List.copyOf(options);
	}

	/**
	 * The system properties of every service's JVM; set in the stack's own JVM when the services run
	 * there (its other options are the {@code inloop} script's).
	 */
	static Map<String, String> jvmWideProperties() {
		return Shared.PROPERTIES;
	}

	/** The JVM options the local stack runs this service with as a process. */
	List<String> javaOptions() {
		return this.javaOptions;
	}

	/** The Maven module, which also names the jar, the log file and the console prefix. */
	String module() {
		return this.module;
	}

	/** The HTTP port of its first process (API, health, the notifier's WebSocket). */
	int httpPort() {
		return this.httpPort;
	}

	static InloopService ofModule(String module) {
		for (InloopService service : values()) {
			if (service.module.equals(module)) {
				return service;
			}
		}
		throw new IllegalArgumentException(
				"Unknown service '" + module + "': expected api-service, worker-service or notifier-service");
	}

}
