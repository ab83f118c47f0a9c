package io.inloop.bench.processes;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuUsageTests {

	private static final StackProcess BROKER = new StackProcess(10, "cli start", null);

	private static final StackProcess WORKER_1 = new StackProcess(20, "worker-service", 8070);

	private static final StackProcess WORKER_2 = new StackProcess(30, "worker-service", 8170);

	private static final StackProcess GONE = new StackProcess(40, "notifier-service", 8090);

	@Test
	void sumsInstancesOfAServiceAndLeavesOutProcessesSampledOnce() {
		CpuSample before = new CpuSample(0, List.of(ticks(BROKER, 100), ticks(WORKER_1, 50), ticks(WORKER_2, 70), ticks(GONE, 10)));
		CpuSample after = new CpuSample(2_000_000_000L, List.of(ticks(BROKER, 130), ticks(WORKER_1, 60), ticks(WORKER_2, 75)));

		CpuUsage usage = CpuUsage.between(before, after);

		assertThat(usage.seconds()).isEqualTo(2.0);
		assertThat(usage.millisByName()).containsExactly(Map.entry("cli start", 300.0), Map.entry("worker-service", 150.0));
		assertThat(usage.totalMillis()).isEqualTo(450.0);
		assertThat(usage.byName().get("worker-service")).extracting(CpuUsage.ProcessUsage::cpuMs).containsExactly(100.0, 50.0);
	}

	@Test
	void ranksThreadsByTheirCpuInThePhaseCountingNewOnesFromZero() {
		CpuSample before = new CpuSample(0, List.of(new CpuSample.ProcessTicks(BROKER, 100,
				List.of(new ProcStat(11, "kafka-request", 40, 0), new ProcStat(12, "idle", 5, 0), new ProcStat(13, "gone", 9, 0)))));
		CpuSample after = new CpuSample(1, List.of(new CpuSample.ProcessTicks(BROKER, 140,
				List.of(new ProcStat(11, "kafka-request", 60, 0), new ProcStat(12, "idle", 5, 0), new ProcStat(14, "new", 30, 0)))));

		CpuUsage usage = CpuUsage.between(before, after);

		assertThat(usage.topThreads(5)).containsExactly(Map.entry("cli start pid 10",
				List.of(new CpuUsage.ThreadUsage(14, "new", 300.0), new CpuUsage.ThreadUsage(11, "kafka-request", 200.0))));
		assertThat(usage.topThreads(1).get("cli start pid 10")).hasSize(1);
	}

	private static CpuSample.ProcessTicks ticks(StackProcess process, long ticks) {
		return new CpuSample.ProcessTicks(process, ticks, List.of());
	}

}
