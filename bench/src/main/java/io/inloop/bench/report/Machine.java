package io.inloop.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Where a run was measured: the machine and the code.
 *
 * @param cores available processors
 * @param memoryBytes physical memory ({@code MemTotal})
 * @param os the distribution ({@code PRETTY_NAME})
 * @param java the JVM running the bench
 * @param commit the git commit of the working directory, if any
 * @param dirty whether the working tree had uncommitted changes
 */
public record Machine(int cores, long memoryBytes, String os, String java, @Nullable String commit, boolean dirty) {

	public static Machine describe() {
		String commit = git("rev-parse", "HEAD").orElse(null);
		boolean dirty = (commit != null) && git("status", "--porcelain", "--untracked-files=no").map((out) -> !out.isBlank()).orElse(false);
		return new Machine(Runtime.getRuntime().availableProcessors(), memTotal(), osName(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), commit, dirty);
	}

	public String summary() {
		return String.format("%d cores, %.1f GiB, %s, Java %s, commit %s%s", this.cores,
				this.memoryBytes / (1024.0 * 1024 * 1024), this.os, System.getProperty("java.version"),
				(this.commit != null) ? this.commit.substring(0, Math.min(12, this.commit.length())) : "unknown",
				this.dirty ? " (uncommitted changes)" : "");
	}

	private static long memTotal() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux: fall through
		}
		return Runtime.getRuntime().maxMemory();
	}

	private static String osName() {
		try {
			for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
				if (line.startsWith("PRETTY_NAME=")) {
					return line.substring("PRETTY_NAME=".length()).replace("\"", "");
				}
			}
		}
		catch (IOException ex) {
			// fall through
		}
		return System.getProperty("os.name") + " " + System.getProperty("os.version");
	}

	private static Optional<String> git(String... arguments) {
		String[] command = new String[arguments.length + 1];
		command[0] = "git";
		System.arraycopy(arguments, 0, command, 1, arguments.length);
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
				return Optional.empty();
			}
			return Optional.of(out);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

}
