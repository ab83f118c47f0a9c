package io.inloop.bench.processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.inloop.bench.report.RunReport;
import org.jspecify.annotations.Nullable;

/**
 * Resident memory ({@code VmRSS}) and thread count of every process of the stack at one moment.
 *
 * @param processes one entry per process still alive
 */
public record Footprint(List<ProcessFootprint> processes) {

	private static final double MIB = 1024.0 * 1024;

	public static Footprint of(List<StackProcess> processes) {
		List<ProcessFootprint> taken = new ArrayList<>();
		for (StackProcess process : processes) {
			try {
				ProcStatus status = ProcStatus.parse(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
				if (status.rssBytes() != null) {
					taken.add(new ProcessFootprint(process, status.rssBytes(), status.threads()));
				}
			}
			catch (IOException ex) {
				// gone
			}
		}
		return new Footprint(taken);
	}

	public long rssBytes() {
		return this.processes.stream().mapToLong(ProcessFootprint::rssBytes).sum();
	}

	/** RSS in MiB and thread counts per process name (instances summed), and for the stack. */
	public void report(RunReport report) {
		Map<String, Double> rss = new LinkedHashMap<>();
		Map<String, Integer> threads = new LinkedHashMap<>();
		rss.put("stack", StackCpu.round1(rssBytes() / MIB));
		threads.put("stack", this.processes.stream().mapToInt(ProcessFootprint::threads).sum());
		for (ProcessFootprint process : this.processes) {
			rss.merge(process.process().name(), StackCpu.round1(process.rssBytes() / MIB), (a, b) -> StackCpu.round1(a + b));
			threads.merge(process.process().name(), process.threads(), Integer::sum);
		}
		report.data("rssMiB", rss).data("threadCount", threads);
	}

	/** One line per process: name, pid, port, RSS, threads, and the CPU it used if known. */
	public void detail(RunReport report, StackCpu.@Nullable Phase cpu) {
		Map<Long, Double> percent = new LinkedHashMap<>();
		if (cpu != null) {
			cpu.stack().processes().forEach((usage) -> percent.put(usage.process().pid(), usage.cpuMs() / cpu.stack().seconds() / 10));
		}
		report.detail(String.format(Locale.ROOT, "  %-24s %-16s %10s %8s %s", "process", "", "RSS (MiB)", "threads",
				(cpu != null) ? "CPU (% of one core)" : ""));
		for (ProcessFootprint process : this.processes) {
			Double cpuPercent = percent.get(process.process().pid());
			report.detail(String.format(Locale.ROOT, "  %-24s %-16s %10.1f %8d %s", process.process().name(),
					process.process().label(), process.rssBytes() / MIB, process.threads(),
					(cpuPercent != null) ? String.format(Locale.ROOT, "%.1f", cpuPercent) : ""));
		}
		report.detail(String.format(Locale.ROOT, "  %-24s %-16s %10.1f %8d %s", "stack", "", rssBytes() / MIB,
				this.processes.stream().mapToInt(ProcessFootprint::threads).sum(),
				(cpu != null) ? String.format(Locale.ROOT, "%.1f", cpu.stack().totalMillis() / cpu.stack().seconds() / 10) : ""));
		if (cpu != null) {
			report.detail(String.format(Locale.ROOT, "  %-24s %-16s %10s %8s %.1f", "bench (not in the stack)", "", "", "",
					cpu.bench().totalMillis() / cpu.bench().seconds() / 10));
		}
	}

	/**
	 * One process's memory and threads.
	 *
	 * @param process the process
	 * @param rssBytes resident memory
	 * @param threads its thread count
	 */
	public record ProcessFootprint(StackProcess process, long rssBytes, int threads) {
	}

}
