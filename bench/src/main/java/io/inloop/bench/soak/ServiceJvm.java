package io.inloop.bench.soak;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One Inloop service's JVM on this machine, found by its jar ({@code api-service-*.jar} and so on).
 *
 * @param name the service and its HTTP port, e.g. {@code notifier-service:8090}
 * @param pid its process id
 */
record ServiceJvm(String name, long pid) {

	private static final String PORT_ARGUMENT = "--server.port=";

	/** Every Inloop service running on this machine, by name. */
	static List<ServiceJvm> findAll() {
		return ProcessHandle.allProcesses()
			.flatMap((process) -> process.info().arguments().flatMap(ServiceJvm::nameOf).map((name) -> new ServiceJvm(name, process.pid())).stream())
			.sorted(Comparator.comparing(ServiceJvm::name))
			.toList();
	}

	private static Optional<String> nameOf(String[] arguments) {
		Optional<String> service = Arrays.stream(arguments)
			.map((argument) -> Path.of(argument).getFileName())
			.filter((file) -> file != null && file.toString().matches("[a-z]+-service-.*\\.jar"))
			.map((file) -> file.toString().substring(0, file.toString().indexOf("-service-") + "-service".length()))
			.findFirst();
		String port = Arrays.stream(arguments)
			.filter((argument) -> argument.startsWith(PORT_ARGUMENT))
			.reduce((first, second) -> second)
			.map((argument) -> ":" + argument.substring(PORT_ARGUMENT.length()))
			.orElse("");
		return service.map((name) -> name + port);
	}

}
