package io.inloop.cli.start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@link LocalStack} runs.
 * @param kafkaDir the broker's log directory; its parent also holds {@code logs/} and {@code jwt-secret}
 * @param kafkaPort the broker's client port
 * @param controllerPort the KRaft controller's port
 * @param partitions partitions of each Inloop topic
 * @param services the services' processes to start, possibly none
 * @param readyTimeout how long each service may take to become ready
 * @param echo which lines of the services' output go to the console
 */
record StackSettings(Path kafkaDir, int kafkaPort, int controllerPort, int partitions, List<ServiceInstance> services,
		Duration readyTimeout, ConsoleEcho echo) {

	boolean runs(InloopService service) {
		return this.services.stream().anyMatch((instance) -> instance.service() == service);
	}

	List<ServiceInstance> instancesOf(InloopService service) {
		return this.services.stream().filter((instance) -> instance.service() == service).toList();
	}

	/** The folder of everything the local stack keeps: {@code .inloop} by default. */
	Path home() {
		Path parent = this.kafkaDir.toAbsolutePath().normalize().getParent();
		return (parent != null) ? parent : this.kafkaDir.toAbsolutePath();
	}

	Path logs() {
		return home().resolve("logs");
	}

	Path jwtSecretFile() {
		return home().resolve("jwt-secret");
	}

}
