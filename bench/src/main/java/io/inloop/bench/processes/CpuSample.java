package io.inloop.bench.processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The CPU time every process (and, on request, every thread) had used at one moment, from
 * {@code /proc}.
 *
 * @param nanos {@link System#nanoTime()} when it was taken
 * @param processes one entry per process still alive
 */
public record CpuSample(long nanos, List<ProcessTicks> processes) {

	private static final Path PROC = Path.of("/proc");

	/** Reads every process's {@code stat}, and with {@code threads} every one of its threads' too. */
	public static CpuSample take(List<StackProcess> processes, boolean threads) {
		long nanos = System.nanoTime();
		List<ProcessTicks> taken = new ArrayList<>(processes.size());
		for (StackProcess process : processes) {
			Path dir = PROC.resolve(Long.toString(process.pid()));
			ProcStat stat = read(dir.resolve("stat"));
			if (stat != null) {
				taken.add(new ProcessTicks(process, stat.cpuTicks(), threads ? threadsOf(dir) : List.of()));
			}
		}
		return new CpuSample(nanos, taken);
	}

	private static List<ProcStat> threadsOf(Path process) {
		try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
			return tasks.map((task) -> read(task.resolve("stat"))).filter((stat) -> stat != null).map((stat) -> (ProcStat) stat).toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private static @Nullable ProcStat read(Path stat) {
		try {
			return ProcStat.parse(Files.readString(stat));
		}
		catch (IOException ex) {
			// gone in the meantime
			return null;
		}
	}

	/**
	 * One process's CPU time so far.
	 *
	 * @param process the process
	 * @param ticks user + system time, in clock ticks
	 * @param threads each of its threads' stat, when asked for
	 */
	public record ProcessTicks(StackProcess process, long ticks, List<ProcStat> threads) {
	}

}
