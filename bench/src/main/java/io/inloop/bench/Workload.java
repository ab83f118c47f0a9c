package io.inloop.bench;

import java.io.PrintStream;
import java.net.ConnectException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.LocalTokens;
import io.inloop.bench.report.Machine;
import io.inloop.bench.report.RunReport;
import picocli.CommandLine.Mixin;

/**
 * A workload as a subcommand: runs against the stack, prints its table and appends its line to
 * the results file.
 */
public abstract class Workload implements Callable<Integer> {

	@Mixin
	public StackOptions stack = new StackOptions();

	/** Runs the workload; progress goes to {@code log}, the figures into the report. */
	protected abstract RunReport run(InloopStack stack, PrintStream log) throws Exception;

	@Override
	public Integer call() throws Exception {
		PrintStream out = System.out;
		try (InloopStack client = new InloopStack(this.stack.api, this.stack.webSocket(),
				(this.stack.signTokens != null) ? LocalTokens.of(this.stack.signTokens) : null)) {
			RunReport report;
			try {
				report = run(client, System.err);
			}
			catch (ExecutionException | CompletionException ex) {
				if (ex.getCause() instanceof ConnectException) {
					System.err.println("Cannot reach the stack at " + this.stack.api + " / " + this.stack.webSockets
							+ ": is ./inloop start running?");
					return 2;
				}
				throw ex;
			}
			Machine machine = Machine.describe();
			report.print(out);
			report.append(this.stack.results, client.json(), machine);
			out.println("  machine: " + machine.summary());
			out.println("  appended to " + this.stack.results);
			return 0;
		}
	}

}
