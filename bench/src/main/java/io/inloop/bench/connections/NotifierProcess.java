package io.inloop.bench.connections;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The notifier's JVM on this machine, found by its command line, measured from outside: heap
 * after a full GC with {@code jcmd}, resident memory from {@code /proc}, direct memory from
 * native memory tracking when it is on.
 */
final class NotifierProcess {

	/** One line per heap (G1: "garbage-first heap") or per generation (serial, parallel collectors): summed. */
	private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

	private static final Pattern NMT_OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

	private final long pid;

	private NotifierProcess(long pid) {
		this.pid = pid;
	}

	/** The process running {@code notifier-service-*.jar}, if there is exactly one. */
	static Optional<NotifierProcess> find() {
		long[] pids = ProcessHandle.allProcesses()
			.filter((process) -> process.info()
				.arguments()
				.map((arguments) -> Arrays.stream(arguments).anyMatch(NotifierProcess::isNotifierJar))
				.orElse(false))
			.mapToLong(ProcessHandle::pid)
			.toArray();
		return (pids.length == 1) ? Optional.of(new NotifierProcess(pids[0])) : Optional.empty();
	}

	private static boolean isNotifierJar(String argument) {
		String name = Path.of(argument).getFileName().toString();
		return name.startsWith("notifier-service-") && name.endsWith(".jar");
	}

	long pid() {
		return this.pid;
	}

	/** Bytes used in the heap as {@code jcmd GC.heap_info} reports it, whichever collector; null if unreadable. */
	static Long heapUsed(String heapInfo) {
		Matcher used = HEAP_USED.matcher(heapInfo);
		long kib = 0;
		boolean found = false;
		while (used.find()) {
			kib += Long.parseLong(used.group(1));
			found = true;
		}
		return found ? kib * 1024 : null;
	}

	/** Runs a full GC, then reads heap, RSS and (with NMT) the native "Other" category. */
	Footprint measure() throws IOException, InterruptedException {
		jcmd("GC.run");
		String heapInfo = jcmd("GC.heap_info");
		Long heap = heapUsed(heapInfo);
		String nmt = jcmd("VM.native_memory", "summary");
		Matcher other = NMT_OTHER.matcher(nmt);
		Long nmtOther = other.find() ? Long.parseLong(other.group(1)) * 1024 : null;
		return new Footprint(heap, rss(), nmtOther);
	}

	private @Nullable Long rss() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		return null;
	}

	private String jcmd(String... command) throws IOException, InterruptedException {
		String[] arguments = new String[command.length + 2];
		arguments[0] = "jcmd";
		arguments[1] = Long.toString(this.pid);
		System.arraycopy(command, 0, arguments, 2, command.length);
		Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroy();
		}
		return out;
	}

	/**
	 * The notifier's memory at one moment, in bytes; {@code null} where it could not be read.
	 *
	 * @param heapUsed heap used after a full GC
	 * @param rss resident set size
	 * @param nmtOther committed native memory in NMT's "Other" category (direct buffers), only
	 * with {@code -XX:NativeMemoryTracking}
	 */
	record Footprint(@Nullable Long heapUsed, @Nullable Long rss, @Nullable Long nmtOther) {
	}

}
