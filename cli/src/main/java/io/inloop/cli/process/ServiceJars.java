package io.inloop.cli.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds the executable jar that Maven built for a service: {@code <repo>/<service>/target/<service>-*.jar}. */
public final class ServiceJars {

	private static final List<String> NOT_EXECUTABLE = List.of("-sources.jar", "-javadoc.jar", "-tests.jar",
			"-exec.jar", "-plain.jar");

	private final Path repositoryRoot;

	public ServiceJars(Path repositoryRoot) {
		this.repositoryRoot = repositoryRoot;
	}

	/** Jars of the repository found by {@link InloopHome#locate()}. */
	public static ServiceJars ofInloopHome() {
		return new ServiceJars(InloopHome.locate());
	}

	/**
	 * The jar of {@code service}, such as {@code api-service}.
	 * @throws IllegalStateException when it has not been built
	 */
	public Path jar(String service) {
		Path target = this.repositoryRoot.resolve(service).resolve("target");
		List<Path> candidates = candidates(target, service);
		if (candidates.isEmpty()) {
			throw new IllegalStateException("No jar for " + service + " in " + target
					+ ": run ./mvnw -DskipTests package in " + this.repositoryRoot);
		}
		return candidates.get(0);
	}

	private static List<Path> candidates(Path target, String service) {
		if (!Files.isDirectory(target)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(target)) {
			return files.filter(Files::isRegularFile)
				.filter((file) -> isServiceJar(file.getFileName().toString(), service))
				// The newest build wins if several versions lie around.
				.sorted(Comparator.comparing(ServiceJars::lastModified).reversed())
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + target, ex);
		}
	}

	static boolean isServiceJar(String fileName, String service) {
		return fileName.startsWith(service + "-") && fileName.endsWith(".jar")
				&& NOT_EXECUTABLE.stream().noneMatch(fileName::endsWith);
	}

	private static long lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
