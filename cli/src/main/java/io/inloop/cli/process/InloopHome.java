package io.inloop.cli.process;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The root of the Inloop repository: the {@code inloop.home} system property, else the first
 * folder holding {@code mvnw} and Inloop's parent {@code pom.xml}, looking up from the working
 * directory and then from where this code was loaded.
 */
public final class InloopHome {

	public static final String PROPERTY = "inloop.home";

	private static final String PARENT_ARTIFACT = "<artifactId>inloop-parent</artifactId>";

	private InloopHome() {
	}

	/** @throws IllegalStateException when no repository root can be found */
	public static Path locate() {
		return find().orElseThrow(() -> new IllegalStateException(
				"Cannot find the Inloop repository: run from inside it or pass -D" + PROPERTY + "=<path>"));
	}

	/**
	 * Where {@code inloop start} keeps the local stack by default ({@code .inloop} in the
	 * repository, else in the working directory): Kafka's data, the logs, the tokens' key pair.
	 */
	public static Path localStack() {
		return find().orElse(Path.of("")).toAbsolutePath().resolve(".inloop");
	}

	public static Optional<Path> find() {
		String property = System.getProperty(PROPERTY);
		if (property != null && !property.isBlank()) {
			return Optional.of(Path.of(property).toAbsolutePath().normalize());
		}
		return findFrom(Path.of("").toAbsolutePath()).or(() -> codeLocation().flatMap(InloopHome::findFrom));
	}

	/** The nearest folder at or above {@code start} that is the repository root. */
	public static Optional<Path> findFrom(Path start) {
		for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
			if (isRepositoryRoot(dir)) {
				return Optional.of(dir);
			}
		}
		return Optional.empty();
	}

	static boolean isRepositoryRoot(Path dir) {
		Path pom = dir.resolve("pom.xml");
		if (!Files.isRegularFile(dir.resolve("mvnw")) || !Files.isRegularFile(pom)) {
			return false;
		}
		try {
			return Files.readString(pom).contains(PARENT_ARTIFACT);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Optional<Path> codeLocation() {
		try {
			@Nullable CodeSource source = InloopHome.class.getProtectionDomain().getCodeSource();
			if (source == null || !"file".equals(source.getLocation().getProtocol())) {
				return Optional.empty();
			}
			return Optional.of(Path.of(source.getLocation().toURI()));
		}
		catch (URISyntaxException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
