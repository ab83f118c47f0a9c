package io.inloop.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A JVM on this machine measured from outside by its process id: {@code jcmd} for the heap after a
 * full GC, {@code /proc} for resident memory and open file descriptors.
 */
public final class JvmProbe {

	/** One line per heap (G1: "garbage-first heap") or per generation (serial, parallel collectors): summed. */
	private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

	private JvmProbe() {
	}

	/** Bytes used in the heap as {@code jcmd GC.heap_info} reports it, whichever collector; null if unreadable. */
	public static @Nullable Long heapUsed(String heapInfo) {
		Matcher used = HEAP_USED.matcher(heapInfo);
		long kib = 0;
		boolean found = false;
		while (used.find()) {
			kib += Long.parseLong(used.group(1));
			found = true;
		}
		return found ? kib * 1024 : null;
	}

	/** Runs a full GC in the process, then reads the heap it still uses; null if unreadable. */
	public static @Nullable Long heapAfterFullGc(long pid) throws IOException, InterruptedException {
		jcmd(pid, "GC.run");
		return heapUsed(jcmd(pid, "GC.heap_info"));
	}

	/** Resident set size in bytes, or null if unreadable. */
	public static @Nullable Long rss(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return null;
	}

	/** File descriptors the process has open (sockets included), or -1 if unreadable. */
	public static long openFiles(long pid) {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return descriptors.count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** What {@code jcmd <pid> <command...>} prints. */
	public static String jcmd(long pid, String... command) throws IOException, InterruptedException {
		String[] arguments = new String[command.length + 2];
		arguments[0] = "jcmd";
		arguments[1] = Long.toString(pid);
		System.arraycopy(command, 0, arguments, 2, command.length);
		Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroy();
		}
		return out;
	}

}
