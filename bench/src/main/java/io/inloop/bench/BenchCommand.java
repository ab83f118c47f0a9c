package io.inloop.bench;

import io.inloop.bench.connections.IdleConnections;
import io.inloop.bench.fanout.FanOut;
import io.inloop.bench.headofline.HeadOfLine;
import io.inloop.bench.idle.IdleStack;
import io.inloop.bench.latency.SequentialLatency;
import io.inloop.bench.soak.Soak;
import io.inloop.bench.startup.NotifierStart;
import io.inloop.bench.startup.ReadyTime;
import io.inloop.bench.throughput.Throughput;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code inloop bench}: each workload is a subcommand; {@code all} runs them one after another. */
@Command(name = "inloop bench", mixinStandardHelpOptions = true, versionProvider = BenchCommand.Version.class,
		description = { "Measures a running local stack (./inloop start) over HTTP and WebSocket (w4 also writes to Kafka).",
				"Prints a table and appends one JSON line per run to the results file." },
		subcommands = { SequentialLatency.class, Throughput.class, IdleConnections.class, FanOut.class, HeadOfLine.class, Soak.class,
				IdleStack.class, ReadyTime.class, NotifierStart.class, AllWorkloads.class, CompareCommand.class, CommandLine.HelpCommand.class })
public final class BenchCommand implements Runnable {

	@CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	public static void main(String[] args) {
		System.exit(new CommandLine(new BenchCommand()).execute(args));
	}

	@Override
	public void run() {
		this.spec.commandLine().usage(this.spec.commandLine().getOut());
	}

	/** The version Maven wrote into the jar's manifest, or "development" when run from classes. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = BenchCommand.class.getPackage().getImplementationVersion();
			return new String[] { "inloop bench " + ((version != null) ? version : "development") };
		}

	}

}
