package io.inloop.bench.processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One process of the stack under test.
 *
 * @param pid its process id
 * @param name what it runs ({@link ProcessName}): several instances of a service share a name
 * @param port its HTTP port when its command line gives one, to tell instances apart
 */
public record StackProcess(long pid, String name, @Nullable Integer port) {

	/** The bench's own JVM, measured beside the stack but never counted in it. */
	public static StackProcess bench() {
		return new StackProcess(ProcessHandle.current().pid(), "bench", null);
	}

	static StackProcess of(ProcessHandle process) {
		ProcessHandle.Info info = process.info();
		List<String> arguments = info.arguments().map(List::of).orElse(List.of());
		return new StackProcess(process.pid(), ProcessName.of(info.command().orElse("?"), comm(process.pid()), arguments),
				ProcessName.portOf(arguments));
	}

	private static String comm(long pid) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(pid), "comm"));
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** {@code pid 1234 :8070}, or {@code pid 1234}. */
	public String label() {
		return "pid " + this.pid + ((this.port != null) ? " :" + this.port : "");
	}

}
