package io.inloop.cli.start;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of a service: the first of each keeps the service's usual ports, the n-th (from 0)
 * has them moved up by {@code 100 * n}, so that several api-services, workers and notifiers share one
 * machine.
 *
 * @param service what runs
 * @param index 0 for the first process of the service
 */
record ServiceInstance(InloopService service, int index) {

	/** The most processes of one service: their ports must stay clear of the other services'. */
	static final int MAX_PER_SERVICE = 9;

	private static final int PORT_STEP = 100;

	private static final int RSOCKET_PORT = 7000;

	/** {@code notifier-service}, then {@code notifier-service-2} and on: the log file and console prefix. */
	String name() {
		return (this.index == 0) ? this.service.module() : this.service.module() + "-" + (this.index + 1);
	}

	int httpPort() {
		return this.service.httpPort() + PORT_STEP * this.index;
	}

	/** The notifier's RSocket port; -1 for the other services. */
	int rsocketPort() {
		return (this.service == InloopService.NOTIFIER) ? RSOCKET_PORT + PORT_STEP * this.index : -1;
	}

	URI readiness() {
		// Not "localhost", which may resolve to ::1 while the service listens on 127.0.0.1 only.
		return URI.create("http://127.0.0.1:" + httpPort() + "/actuator/health/readiness");
	}

	/** What this process is told beyond the service's own configuration: its ports. */
	List<String> arguments() {
		List<String> arguments = new ArrayList<>();
		if (this.index > 0) {
			arguments.add("--server.port=" + httpPort());
			if (rsocketPort() > 0) {
				arguments.add("--spring.rsocket.server.port=" + rsocketPort());
			}
		}
		return arguments;
	}

	/** {@code count} processes of each service, in start order. */
	static List<ServiceInstance> of(List<InloopService> services, int apis, int workers, int notifiers) {
		List<ServiceInstance> instances = new ArrayList<>();
		for (InloopService service : services) {
			int count = switch (service) {
				case WORKER -> workers;
				case NOTIFIER -> notifiers;
				case API -> apis;
			};
			for (int index = 0; index < count; index++) {
				instances.add(new ServiceInstance(service, index));
			}
		}
		return instances;
	}

}
