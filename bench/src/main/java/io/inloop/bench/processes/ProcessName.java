package io.inloop.bench.processes;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * How a process of the stack is named in the report: by what it runs, not by what the bench
 * expects to find, so a stack laid out differently (say all services in one JVM) is still reported
 * as it is. A JVM is named by its jar without the version ({@code api-service}), plus its first
 * argument that is not an option ({@code cli start}); a Node process by its script ({@code node server});
 * anything else by its command name ({@code redis-server}, whose executable is {@code redis-check-rdb}
 * on Debian).
 */
public final class ProcessName {

	/** A JVM that runs no jar: its main class is not worth guessing from the options. */
	public static final String OTHER_JAVA = "other java";

	/** {@code -0.1.0-SNAPSHOT-exec.jar}, {@code -4.3.1.jar}: the version and what follows it. */
	private static final Pattern JAR_VERSION = Pattern.compile("-\\d+(\\.\\d+)*[^/]*\\.jar$");

	private static final String PORT_ARGUMENT = "--server.port=";

	private ProcessName() {
	}

	/**
	 * The name of a process running {@code executable} with {@code arguments} (without argv[0]),
	 * {@code comm} its command name as the kernel keeps it (the name it was started by).
	 */
	public static String of(String executable, String comm, List<String> arguments) {
		String program = fileName(executable);
		if (program.equals("java")) {
			int jar = arguments.indexOf("-jar");
			if (jar < 0 || jar + 1 >= arguments.size()) {
				return OTHER_JAVA;
			}
			String name = jarName(arguments.get(jar + 1));
			String command = firstPositional(arguments.subList(jar + 2, arguments.size()));
			return (command != null) ? name + " " + command : name;
		}
		if (program.equals("node") || program.equals("nodejs")) {
			String script = firstPositional(arguments);
			return (script != null) ? "node " + fileName(script).replaceFirst("\\.[cm]?js$", "") : "node";
		}
		return comm.isBlank() ? program : comm.strip();
	}

	/** {@code api-service-0.1.0-SNAPSHOT.jar} is {@code api-service}. */
	static String jarName(String jar) {
		String file = fileName(jar);
		String name = JAR_VERSION.matcher(file).replaceFirst("");
		return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
	}

	/** The port a Spring Boot process is given ({@code --server.port=}, the last one wins), or null. */
	public static @Nullable Integer portOf(List<String> arguments) {
		Integer port = null;
		for (String argument : arguments) {
			if (argument.startsWith(PORT_ARGUMENT)) {
				try {
					port = Integer.parseInt(argument.substring(PORT_ARGUMENT.length()).trim());
				}
				catch (NumberFormatException ex) {
					// not a port: Spring would refuse it too
				}
			}
		}
		return port;
	}

	private static @Nullable String firstPositional(List<String> arguments) {
		return arguments.stream().filter((argument) -> !argument.startsWith("-")).findFirst().orElse(null);
	}

	private static String fileName(String path) {
		Path file = Path.of(path).getFileName();
		return (file != null) ? file.toString() : path;
	}

}
