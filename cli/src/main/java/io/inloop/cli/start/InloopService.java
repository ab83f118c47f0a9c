package io.inloop.cli.start;

import java.net.URI;

/** The three services of the local stack, in start order, and where each reports readiness. */
enum InloopService {

	API("api-service", 8080), WORKER("worker-service", 8070), NOTIFIER("notifier-service", 8090);

	private final String module;

	private final int healthPort;

	InloopService(String module, int healthPort) {
		this.module = module;
		this.healthPort = healthPort;
	}

	/** The Maven module, which also names the jar, the log file and the console prefix. */
	String module() {
		return this.module;
	}

	URI readiness() {
		return URI.create("http://localhost:" + this.healthPort + "/actuator/health/readiness");
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
