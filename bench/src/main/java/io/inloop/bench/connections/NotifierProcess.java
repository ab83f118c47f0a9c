package io.inloop.bench.connections;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.inloop.bench.processes.ProcStat;
import io.inloop.bench.report.JvmProbe;
import org.jspecify.annotations.Nullable;

/**
 * The notifier's JVM on this machine, found by its command line, measured from outside: heap
 * after a full GC with {@code jcmd}, resident memory from {@code /proc}, direct memory from
 * native memory tracking when it is on.
 */
public final class NotifierProcess {

	private static final Pattern NMT_OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

	/** The notifier's HTTP port when its command line does not set one ({@code application.yaml}). */
	static final int DEFAULT_PORT = 8090;

	private static final String PORT_ARGUMENT = "--server.port=";

	private final long pid;

	private final int port;

	private NotifierProcess(long pid, int port) {
		this.pid = pid;
		this.port = port;
	}

	/** Every process running {@code notifier-service-*.jar} on this machine, with its HTTP port. */
	public static List<NotifierProcess> findAll() {
		return ProcessHandle.allProcesses()
			.flatMap((process) -> process.info()
				.arguments()
				.filter((arguments) -> Arrays.stream(arguments).anyMatch(NotifierProcess::isNotifierJar))
				.map((arguments) -> new NotifierProcess(process.pid(), portOf(arguments)))
				.stream())
			.toList();
	}

	/** The notifier process serving HTTP (and {@code /ws}) on {@code port}, if exactly one does. */
	public static Optional<NotifierProcess> find(List<NotifierProcess> all, int port) {
		List<NotifierProcess> matching = all.stream().filter((process) -> process.port == port).toList();
		return (matching.size() == 1) ? Optional.of(matching.get(0)) : Optional.empty();
	}

	/** The port a notifier's arguments give it ({@code --server.port=}, the last one wins), else the default. */
	static int portOf(String[] arguments) {
		int port = DEFAULT_PORT;
		for (String argument : arguments) {
			if (argument.startsWith(PORT_ARGUMENT)) {
				try {
					port = Integer.parseInt(argument.substring(PORT_ARGUMENT.length()).trim());
				}
				catch (NumberFormatException ex) {
					// Not a number: Spring would refuse it too; keep looking.
				}
			}
		}
		return port;
	}

	/** User plus system CPU time from a {@code /proc/<pid>/stat} line, in clock ticks; -1 if unreadable. */
	static long cpuTicks(String stat) {
		ProcStat parsed = ProcStat.parse(stat);
		return (parsed != null) ? parsed.cpuTicks() : -1;
	}

	/** CPU seconds (user + system) the process has used so far, or -1 if unreadable. */
	public double cpuSeconds() {
		try {
			long ticks = cpuTicks(Files.readString(Path.of("/proc", Long.toString(this.pid), "stat")));
			return (ticks < 0) ? -1 : ticks / (double) ProcStat.TICKS_PER_SECOND;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	public int port() {
		return this.port;
	}

	private static boolean isNotifierJar(String argument) {
		String name = Path.of(argument).getFileName().toString();
		return name.startsWith("notifier-service-") && name.endsWith(".jar");
	}

	public long pid() {
		return this.pid;
	}

	/** Runs a full GC, then reads heap, RSS and (with NMT) the native "Other" category. */
	Footprint measure() throws IOException, InterruptedException {
		jcmd("GC.run");
		String heapInfo = jcmd("GC.heap_info");
		Long heap = JvmProbe.heapUsed(heapInfo);
		String nmt = jcmd("VM.native_memory", "summary");
		Matcher other = NMT_OTHER.matcher(nmt);
		Long nmtOther = other.find() ? Long.parseLong(other.group(1)) * 1024 : null;
		return new Footprint(heap, JvmProbe.rss(this.pid), nmtOther);
	}

	private String jcmd(String... command) throws IOException, InterruptedException {
		return JvmProbe.jcmd(this.pid, command);
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
