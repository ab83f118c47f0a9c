package io.inloop.bench;

import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.LocalTokens;
import io.inloop.bench.report.CannotRun;
import io.inloop.bench.report.Comparison;
import io.inloop.bench.report.Machine;
import io.inloop.bench.report.ResultsFile;
import io.inloop.bench.report.RunReport;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * A workload as a subcommand: runs against the stack, prints its table and appends its line to
 * the results file; with {@code --baseline}, compares it with the latest run of the same workload.
 */
public abstract class Workload implements Callable<Integer> {

	@Mixin
	public StackOptions stack = new StackOptions();

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandLine.Model.CommandSpec spec;

	/** Runs the workload; progress goes to {@code log}, the figures into the report. */
	protected abstract RunReport run(InloopStack stack, PrintStream log) throws Exception;

	/** What is measured: Inloop, unless the workload takes {@code --peer} and was given one. */
	protected Target target() {
		return Target.INLOOP;
	}

	@Override
	public Integer call() throws Exception {
		PrintStream out = System.out;
		Target target = target();
		if (target != Target.INLOOP) {
			aimAt(target);
		}
		JsonMapper json = JsonMapper.builder().build();
		try (InloopStack client = new InloopStack(this.stack.api, this.stack.webSocket(),
				(this.stack.signTokens != null) ? LocalTokens.of(this.stack.signTokens) : null, target.dialect())) {
			// Read before this run's line is appended: the baseline may be the results file itself.
			@Nullable ResultsFile baseline = (this.stack.baseline != null) ? ResultsFile.read(this.stack.baseline, json) : null;
			RunReport report;
			try {
				report = run(client, System.err);
			}
			catch (ExecutionException | CompletionException ex) {
				if (ex.getCause() instanceof ConnectException) {
					System.err.println("Cannot reach the stack at " + this.stack.api + " / " + this.stack.webSockets
							+ ": is " + target.layout().startCommand() + " running?");
					return 2;
				}
				throw ex;
			}
			if (target.peerName() != null) {
				report.parameter("peer", target.peerName());
			}
			Machine machine = Machine.describe();
			report.print(out);
			report.append(this.stack.results, client.json(), machine);
			out.println("  machine: " + machine.summary());
			out.println("  appended to " + this.stack.results);
			if (baseline != null) {
				compare(baseline, report, json, machine, out);
			}
			return 0;
		}
		catch (CannotRun ex) {
			System.err.println("inloop bench: " + ex.getMessage());
			return 2;
		}
	}

	private void compare(ResultsFile baseline, RunReport report, JsonMapper json, Machine machine, PrintStream out) {
		Optional<ResultsFile.Run> before = baseline.latest(report.workload());
		if (before.isEmpty()) {
			out.println("  baseline: " + this.stack.baseline + " has no " + report.workload() + " run; nothing compared");
			return;
		}
		Comparison.of(before.get().json(), report.toJson(json, machine))
			.print(out, before.get().describe(), "this run" + ((target().peerName() != null) ? ", peer " + target().peerName() : ""));
	}

	/** --api and --ws not given: the target's own. */
	private void aimAt(Target target) {
		CommandLine.ParseResult parsed = this.spec.commandLine().getParseResult();
		if (parsed == null || !parsed.hasMatchedOption("--api")) {
			this.stack.api = target.api();
		}
		if (parsed == null || !parsed.hasMatchedOption("--ws")) {
			this.stack.webSockets = List.<URI>of(target.webSocket());
		}
	}

}
