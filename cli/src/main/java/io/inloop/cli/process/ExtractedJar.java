package io.inloop.cli.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Spring Boot executable jar extracted by Spring Boot's own tools
 * ({@code java -Djarmode=tools -jar <jar> extract}): the application's jar with its libraries in
 * {@code lib/} on its manifest's {@code Class-Path}, which a plain class loader can load
 * ({@link ServiceInJvm}). Extracted once per build of the jar: a stamp next to it remembers which.
 */
public final class ExtractedJar {

	private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);

	private ExtractedJar() {
	}

	/**
	 * The application jar of {@code executableJar} extracted into {@code directory}, extracting it
	 * first unless that build of it is already there.
	 */
	public static Path of(Path executableJar, Path directory) {
		Path applicationJar = directory.resolve(executableJar.getFileName());
		Path stamp = directory.resolveSibling(directory.getFileName() + ".extracted");
		String build = buildOf(executableJar);
		try {
			if (Files.isRegularFile(applicationJar) && Files.isRegularFile(stamp)
					&& Files.readString(stamp).equals(build)) {
				return applicationJar;
			}
			Files.deleteIfExists(stamp);
			deleteRecursively(directory);
			extract(executableJar, directory);
			Files.writeString(stamp, build);
			return applicationJar;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot extract " + executableJar + " into " + directory, ex);
		}
	}

	private static void extract(Path executableJar, Path directory) throws IOException {
		Files.createDirectories(directory.getParent());
		ServiceProcess tools = ServiceProcess.builder(directory.getFileName() + "-extract")
			.javaOptions("-Djarmode=tools")
			.jar(executableJar)
			.arguments("extract", "--destination", directory.toAbsolutePath().toString())
			.logFile(directory.resolveSibling(directory.getFileName() + ".extract.log"))
			.start();
		// Waits for it to end, killing it past the timeout.
		tools.awaitStop(EXTRACT_TIMEOUT);
		if (tools.exitCode().orElse(-1) != 0) {
			throw new IllegalStateException("Cannot extract " + executableJar + ": " + String.join(" | ", tools.logTail(5)));
		}
	}

	// Size and modification time: a new build of the jar changes at least one.
	private static String buildOf(Path jar) {
		try {
			return Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + jar, ex);
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
