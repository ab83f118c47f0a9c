package io.inloop.bench.processes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.inloop.bench.report.RunReport;
import org.jspecify.annotations.Nullable;

/**
 * The CPU the stack's processes and the bench used over a measured phase: the processes are found
 * once, then sampled just before and just after the phase (warm-up and set-up left out). The bench
 * is reported beside the stack, never in its total.
 */
public final class StackCpu {

	private final List<StackProcess> stack;

	private final List<StackProcess> bench = List.of(StackProcess.bench());

	private final boolean threads;

	private @Nullable CpuSample stackBefore;

	private @Nullable CpuSample benchBefore;

	private StackCpu(List<StackProcess> stack, boolean threads) {
		this.stack = stack;
		this.threads = threads;
	}

	/** The stack's processes as they are now; with {@code threads}, each thread is sampled too. */
	public static StackCpu find(StackLayout layout, boolean threads) {
		return new StackCpu(layout.find(), threads);
	}

	public boolean found() {
		return !this.stack.isEmpty();
	}

	public List<StackProcess> processes() {
		return this.stack;
	}

	/** The phase starts now. */
	public void begin() {
		this.benchBefore = CpuSample.take(this.bench, this.threads);
		this.stackBefore = CpuSample.take(this.stack, this.threads);
	}

	/** The phase ends now: what each process used since {@link #begin()}. */
	public Phase end() {
		if (this.stackBefore == null || this.benchBefore == null) {
			throw new IllegalStateException("end() before begin()");
		}
		CpuSample stackAfter = CpuSample.take(this.stack, this.threads);
		CpuSample benchAfter = CpuSample.take(this.bench, this.threads);
		return new Phase(CpuUsage.between(this.stackBefore, stackAfter), CpuUsage.between(this.benchBefore, benchAfter));
	}

	/**
	 * What the stack and the bench used in one phase.
	 *
	 * @param stack every process of the stack
	 * @param bench the bench's own JVM
	 */
	public record Phase(CpuUsage stack, CpuUsage bench) {

		/** CPU milliseconds per job: per process name, the stack's total and the bench's; {@code top} threads each. */
		public void reportPerJob(RunReport report, long jobs, int top) {
			if (jobs <= 0) {
				report.note("CPU per job: no job finished in the measured phase");
				return;
			}
			Map<String, Double> perJob = new LinkedHashMap<>();
			perJob.put("stack", round2(this.stack.totalMillis() / jobs));
			perJob.put("bench", round2(this.bench.totalMillis() / jobs));
			this.stack.millisByName().forEach((name, ms) -> perJob.put(name, round2(ms / jobs)));
			report.data("cpuMsPerJob", perJob).data("cpuPhaseSeconds", round2(this.stack.seconds()));
			report.data("cpuProcesses", instances(this.stack, this.stack.seconds()));
			report.detail(String.format(Locale.ROOT, "CPU per job, ms (user + system, %d jobs in the %.1f s measured):", jobs,
					this.stack.seconds()));
			this.stack.byName().forEach((name, usages) -> report.detail(row(name,
					usages.stream().mapToDouble(CpuUsage.ProcessUsage::cpuMs).sum() / jobs,
					usages.stream().map((usage) -> usage.process().label() + ((usages.size() > 1)
							? String.format(Locale.ROOT, " %.2f", usage.cpuMs() / jobs) : "")).collect(Collectors.joining(", ")))));
			report.detail(row("stack", this.stack.totalMillis() / jobs, ""));
			report.detail(row("bench (not in the stack)", this.bench.totalMillis() / jobs, ""));
			reportThreads(report, top);
			noteCli(report);
		}

		/** CPU in % of one core: per process name, the stack's total and the bench's; {@code top} threads each. */
		public void reportPercent(RunReport report, int top) {
			double seconds = this.stack.seconds();
			Map<String, Double> percent = new LinkedHashMap<>();
			percent.put("stack", round1(this.stack.totalMillis() / seconds / 10));
			percent.put("bench", round1(this.bench.totalMillis() / seconds / 10));
			this.stack.millisByName().forEach((name, ms) -> percent.put(name, round1(ms / seconds / 10)));
			report.data("cpuPercent", percent);
			report.data("cpuProcesses", instances(this.stack, seconds));
			reportThreads(report, top);
			noteCli(report);
		}

		private void reportThreads(RunReport report, int top) {
			if (top <= 0) {
				return;
			}
			Map<String, List<CpuUsage.ThreadUsage>> threads = new LinkedHashMap<>(this.stack.topThreads(top));
			threads.putAll(this.bench.topThreads(top));
			report.data("topThreads", threads);
			report.detail("busiest threads, ms of CPU in the measured phase:");
			threads.forEach((process, busiest) -> report.detail("  " + process + ": " + (busiest.isEmpty() ? "-"
					: busiest.stream().map((thread) -> String.format(Locale.ROOT, "%s %.0f", thread.name(), thread.cpuMs()))
						.collect(Collectors.joining(", ")))));
		}

		private void noteCli(RunReport report) {
			if (this.stack.millisByName().containsKey("cli start")) {
				report.note((this.stack.millisByName().size() == 1)
						? "cli start is ./inloop start's JVM: the Kafka broker and the three services run in it"
						: "cli start is ./inloop start's JVM: the Kafka broker runs in it (--processes: the services in theirs)");
			}
		}

		private static List<Map<String, Object>> instances(CpuUsage usage, double seconds) {
			List<Map<String, Object>> instances = new ArrayList<>();
			for (CpuUsage.ProcessUsage process : usage.processes()) {
				Map<String, Object> instance = new LinkedHashMap<>();
				instance.put("name", process.process().name());
				instance.put("pid", process.process().pid());
				if (process.process().port() != null) {
					instance.put("port", process.process().port());
				}
				instance.put("cpuMs", round1(process.cpuMs()));
				instance.put("cpuPercent", round1(process.cpuMs() / seconds / 10));
				instances.add(instance);
			}
			return instances;
		}

		private static String row(String name, double value, String detail) {
			return String.format(Locale.ROOT, "  %-30s %9.2f  %s", name, value, detail);
		}

	}

	static double round1(double value) {
		return Math.round(value * 10) / 10.0;
	}

	static double round2(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
