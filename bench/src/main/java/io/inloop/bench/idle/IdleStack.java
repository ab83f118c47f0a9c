package io.inloop.bench.idle;

import java.io.PrintStream;

import io.inloop.bench.CpuOptions;
import io.inloop.bench.PeerOptions;
import io.inloop.bench.Target;
import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.processes.Footprint;
import io.inloop.bench.processes.StackCpu;
import io.inloop.bench.report.CannotRun;
import io.inloop.bench.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Idle: the stack running and nothing submitted; what each process costs in CPU, memory and
 * threads while it waits.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
		description = "Idle cost: with the stack running and nothing submitted, each process's CPU (% of one core), RSS and threads.")
public final class IdleStack extends Workload {

	@Mixin
	PeerOptions peer = new PeerOptions();

	@Mixin
	CpuOptions cpu = new CpuOptions();

	@Option(names = "--seconds", defaultValue = "30", paramLabel = "<seconds>", description = "How long to measure (default: ${DEFAULT-VALUE}).")
	int seconds;

	@Override
	protected Target target() {
		return this.peer.target;
	}

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		if (this.seconds < 1) {
			throw new CannotRun("--seconds must be at least 1");
		}
		StackCpu cpu = StackCpu.find(target().layout(), this.cpu.threads > 0);
		if (!cpu.found()) {
			throw new CannotRun("Found no process of " + target().layout().description() + " on this machine: start it with "
					+ target().layout().startCommand());
		}
		log.printf("idle: %d processes, measuring %d s%n", cpu.processes().size(), this.seconds);
		cpu.begin();
		Thread.sleep(this.seconds * 1000L);
		StackCpu.Phase used = cpu.end();
		Footprint footprint = Footprint.of(cpu.processes());
		if (used.stack().processes().isEmpty() || footprint.processes().isEmpty()) {
			throw new CannotRun("The stack's processes exited during the measurement");
		}

		RunReport report = new RunReport("idle", "Idle stack").parameter("seconds", this.seconds);
		footprint.report(report);
		footprint.detail(report, used);
		used.reportPercent(report, this.cpu.threads);
		return report;
	}

}
