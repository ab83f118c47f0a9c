package io.inloop.bench.processes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU each process used between two samples, and its busiest threads. Processes sampled only
 * once (started or gone in between) are left out; a thread started in between counts from zero.
 *
 * @param nanos the time between the samples
 * @param processes per process, in the order sampled
 */
public record CpuUsage(long nanos, List<ProcessUsage> processes) {

	public static CpuUsage between(CpuSample before, CpuSample after) {
		Map<Long, CpuSample.ProcessTicks> earlier = new HashMap<>();
		before.processes().forEach((ticks) -> earlier.put(ticks.process().pid(), ticks));
		List<ProcessUsage> usages = new ArrayList<>();
		for (CpuSample.ProcessTicks now : after.processes()) {
			CpuSample.ProcessTicks then = earlier.get(now.process().pid());
			if (then == null) {
				continue;
			}
			Map<Long, Long> threadsBefore = new HashMap<>();
			then.threads().forEach((thread) -> threadsBefore.put(thread.id(), thread.cpuTicks()));
			List<ThreadUsage> threads = now.threads()
				.stream()
				.map((thread) -> new ThreadUsage(thread.id(), thread.comm(),
						ProcStat.ticksToMillis(thread.cpuTicks() - threadsBefore.getOrDefault(thread.id(), 0L))))
				.filter((thread) -> thread.cpuMs() > 0)
				.sorted(Comparator.comparingDouble(ThreadUsage::cpuMs).reversed())
				.toList();
			usages.add(new ProcessUsage(now.process(), ProcStat.ticksToMillis(now.ticks() - then.ticks()), threads));
		}
		return new CpuUsage(after.nanos() - before.nanos(), usages);
	}

	public double seconds() {
		return this.nanos / 1e9;
	}

	/** CPU milliseconds per process name (instances summed), names sorted. */
	public Map<String, Double> millisByName() {
		Map<String, Double> byName = new TreeMap<>();
		this.processes.forEach((usage) -> byName.merge(usage.process().name(), usage.cpuMs(), Double::sum));
		return byName;
	}

	/** The processes of each name, names sorted. */
	public Map<String, List<ProcessUsage>> byName() {
		Map<String, List<ProcessUsage>> byName = new TreeMap<>();
		this.processes.forEach((usage) -> byName.computeIfAbsent(usage.process().name(), (name) -> new ArrayList<>()).add(usage));
		return byName;
	}

	public double totalMillis() {
		return this.processes.stream().mapToDouble(ProcessUsage::cpuMs).sum();
	}

	/** Each process's {@code top} busiest threads, by the process's label ({@code api-service pid 1234}). */
	public Map<String, List<ThreadUsage>> topThreads(int top) {
		Map<String, List<ThreadUsage>> threads = new LinkedHashMap<>();
		for (ProcessUsage usage : this.processes) {
			threads.put(usage.process().name() + " " + usage.process().label(),
					usage.threads().subList(0, Math.min(top, usage.threads().size())));
		}
		return threads;
	}

	/**
	 * One process's CPU between the samples.
	 *
	 * @param process the process
	 * @param cpuMs user + system time, in milliseconds (10 ms resolution)
	 * @param threads its threads that used any, busiest first (only when threads were sampled)
	 */
	public record ProcessUsage(StackProcess process, double cpuMs, List<ThreadUsage> threads) {
	}

	/**
	 * One thread's CPU between the samples.
	 *
	 * @param tid its id
	 * @param name its name as the kernel keeps it (15 characters at most)
	 * @param cpuMs user + system time, in milliseconds
	 */
	public record ThreadUsage(long tid, String name, double cpuMs) {
	}

}
