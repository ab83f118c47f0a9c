package io.inloop.cli.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A Java program, usually one of Inloop's services, running as a child process of this JVM with
 * the same {@code java} binary. Its output goes straight to a log file, which is followed to pass
 * each line to an optional listener and to keep the last lines in memory for error messages. The
 * child exits by itself when this JVM dies, even by {@code kill -9}, unless
 * {@link Builder#watchParent(boolean)} says otherwise.
 */
public final class ServiceProcess implements RunningService, AutoCloseable {

	/** How long {@link #stop()} waits for a graceful exit before killing. */
	public static final Duration DEFAULT_GRACE = Duration.ofSeconds(20);

	private final String name;

	private final Process process;

	private final Path logFile;

	private final LogFollower log;

	private ServiceProcess(String name, Process process, Path logFile, Consumer<String> lineListener) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.log = new LogFollower(name, logFile,
				(wait) -> this.process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS), lineListener);
	}

	/** Start describing a child process called {@code name} (used in logs and messages). */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/** The {@code java} binary of this JVM, so children run on the same Java. */
	public static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	@Override
	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	@Override
	public Path logFile() {
		return this.logFile;
	}

	@Override
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Completes when the process has ended, however it ended. */
	@Override
	public CompletableFuture<ServiceProcess> onExit() {
		return this.process.onExit().thenApply((ended) -> this);
	}

	/** The exit code, once the process has ended. */
	public OptionalInt exitCode() {
		return this.process.isAlive() ? OptionalInt.empty() : OptionalInt.of(this.process.exitValue());
	}

	@Override
	public List<String> logTail(int lines) {
		return this.log.tail(lines);
	}

	@Override
	public String howItEnded() {
		this.log.awaitLastLines();
		return "exited with code " + this.process.exitValue();
	}

	/** Ask the process to stop (SIGTERM) and kill it if it has not exited within 20 s. */
	public void stop() {
		stop(DEFAULT_GRACE);
	}

	/** Ask the process to stop (SIGTERM) and kill it if it has not exited within {@code grace}. */
	public void stop(Duration grace) {
		requestStop();
		awaitStop(grace);
	}

	/** Send SIGTERM without waiting; pair with {@link #awaitStop(Duration)} to stop several at once. */
	@Override
	public void requestStop() {
		this.process.destroy();
	}

	/** Wait up to {@code grace} for the process to exit, then kill it. */
	@Override
	public void awaitStop(Duration grace) {
		try {
			if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill();
		}
		this.log.awaitLastLines();
	}

	/** End the process abruptly (SIGKILL), as a crash would, and wait until it is gone. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.log.awaitLastLines();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			stop();
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + this.process.pid() + ")";
	}

	/** What to run and where its output goes. */
	public static final class Builder {

		private final String name;

		private final List<String> javaOptions = new ArrayList<>();

		private final List<String> programArguments = new ArrayList<>();

		private final Map<String, String> environment = new LinkedHashMap<>();

		private @Nullable Path logFile;

		private @Nullable Path workingDirectory;

		private Consumer<String> lineListener = (line) -> {
		};

		private boolean watchParent = true;

		private Builder(String name) {
			this.name = name;
		}

		/** Run an executable jar: {@code java [options] -jar <jar> [arguments]}. */
		public Builder jar(Path jar) {
			this.programArguments.add(0, "-jar");
			this.programArguments.add(1, jar.toAbsolutePath().toString());
			return this;
		}

		/** Run a main class: {@code java [options] -cp <classPath> <mainClass> [arguments]}. */
		public Builder mainClass(String classPath, String mainClass) {
			this.programArguments.add(0, "-cp");
			this.programArguments.add(1, classPath);
			this.programArguments.add(2, mainClass);
			return this;
		}

		/** JVM options, such as {@code -Xmx256m}, placed before the jar or main class. */
		public Builder javaOptions(String... options) {
			this.javaOptions.addAll(List.of(options));
			return this;
		}

		/** Program arguments, such as {@code --server.port=0}. */
		public Builder arguments(String... arguments) {
			this.programArguments.addAll(List.of(arguments));
			return this;
		}

		public Builder arguments(List<String> arguments) {
			this.programArguments.addAll(arguments);
			return this;
		}

		public Builder environment(String name, String value) {
			this.environment.put(name, value);
			return this;
		}

		/** Where stdout and stderr go; by default a temporary file. Overwritten on start. */
		public Builder logFile(Path logFile) {
			this.logFile = logFile;
			return this;
		}

		public Builder workingDirectory(Path workingDirectory) {
			this.workingDirectory = workingDirectory;
			return this;
		}

		/** Called with every line of output, on the thread that reads it. */
		public Builder onLine(Consumer<String> lineListener) {
			this.lineListener = Objects.requireNonNull(lineListener);
			return this;
		}

		/** Whether the child exits when this JVM is gone (default {@code true}). */
		public Builder watchParent(boolean watchParent) {
			this.watchParent = watchParent;
			return this;
		}

		public ServiceProcess start() {
			List<String> command = new ArrayList<>();
			command.add(javaBinary());
			if (this.watchParent) {
				command.add(ParentWatchAgent.javaOption());
			}
			command.addAll(this.javaOptions);
			command.addAll(this.programArguments);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().putAll(this.environment);
			if (this.workingDirectory != null) {
				builder.directory(this.workingDirectory.toFile());
			}
			try {
				Path log = (this.logFile != null) ? this.logFile : Files.createTempFile(this.name + "-", ".log");
				Files.createDirectories(log.toAbsolutePath().getParent());
				builder.redirectOutput(log.toFile());
				return new ServiceProcess(this.name, builder.start(), log, this.lineListener);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start " + this.name + ": " + String.join(" ", command), ex);
			}
		}

	}

}
