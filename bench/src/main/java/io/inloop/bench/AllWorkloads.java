package io.inloop.bench;

import java.util.List;
import java.util.concurrent.Callable;

import io.inloop.bench.connections.IdleConnections;
import io.inloop.bench.headofline.HeadOfLine;
import io.inloop.bench.latency.SequentialLatency;
import io.inloop.bench.throughput.Throughput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code all}: every workload with its defaults, one after another. */
@Command(name = "all", mixinStandardHelpOptions = true,
		description = "Runs w1, w2, w3 and hol with their defaults, one after another.")
final class AllWorkloads implements Callable<Integer> {

	@Mixin
	StackOptions stack = new StackOptions();

	@Override
	public Integer call() throws Exception {
		int failed = 0;
		for (Workload workload : List.of(new SequentialLatency(), new Throughput(), new IdleConnections(),
				new HeadOfLine())) {
			// Parsing no arguments gives the workload its defaults; the stack options are this command's.
			new CommandLine(workload).parseArgs();
			workload.stack = this.stack;
			try {
				failed += workload.call();
			}
			catch (Exception ex) {
				System.err.println(workload.getClass().getSimpleName() + " failed: " + ex);
				failed++;
			}
		}
		return (failed == 0) ? 0 : 1;
	}

}
