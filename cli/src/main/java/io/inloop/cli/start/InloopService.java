package io.inloop.cli.start;

import java.util.ArrayList;
import java.util.List;

/** The three services of the local stack, in start order, and where each reports readiness. */
enum InloopService {

	API("api-service", 8080, "-Xms256m", "-Xmx512m"), WORKER("worker-service", 8070, "-Xms256m", "-Xmx512m"),
	// Idle WebSockets live in the heap: room for tens of thousands of them
	NOTIFIER("notifier-service", 8090, "-Xms256m", "-Xmx1g");

	/**
	 * JVM options of every service on one machine shared with the broker and the others: one GC thread
	 * each (the serial collector pauses a few ms on these heaps, and no GC threads compete for the
	 * cores), and two event-loop threads per HTTP server instead of max(cores, 4).
	 */
	private static final class Shared {

		static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Dreactor.netty.ioWorkerCount=2",
				"-XX:+ExitOnOutOfMemoryError");

	}

	private final String module;

	private final int httpPort;

	private final List<String> javaOptions;

	InloopService(String module, int httpPort, String... heap) {
		this.module = module;
		this.httpPort = httpPort;
		List<String> options = new ArrayList<>(Shared.OPTIONS);
		options.addAll(List.of(heap));
		this.javaOptions = List.copyOf(options);
	}

	/** The JVM options the local stack runs this service with. */
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
