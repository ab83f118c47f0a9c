package io.inloop.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.inloop.bench.report.CannotRun;
import io.inloop.bench.report.Comparison;
import io.inloop.bench.report.ResultsFile;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/** {@code compare}: two runs already in results files, side by side; runs nothing. */
@Command(name = "compare", mixinStandardHelpOptions = true,
		description = { "Compares runs from results files without running anything: each figure, baseline, now, now/baseline, which way is better.",
				"<file> alone means the latest run of each workload; <file>:<line> one line (from 1; -1 is the last, -2 the one before).",
				"Example: compare .inloop/bench/results.ndjson:-2 .inloop/bench/results.ndjson:-1" })
final class CompareCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "<baseline>", description = "The baseline: <file> or <file>:<line>.")
	String baseline;

	@Parameters(index = "1", paramLabel = "<now>", description = "The run to judge: <file> or <file>:<line>.")
	String now;

	@Option(names = "--workload", paramLabel = "<name>", description = "Only this workload (when no line is given).")
	@Nullable String workload;

	@Override
	public Integer call() {
		PrintStream out = System.out;
		JsonMapper json = JsonMapper.builder().build();
		try {
			Source before = Source.of(this.baseline);
			Source after = Source.of(this.now);
			ResultsFile beforeFile = ResultsFile.read(before.file(), json);
			ResultsFile afterFile = ResultsFile.read(after.file(), json);
			if (after.line() != null) {
				ResultsFile.Run run = afterFile.line(after.line());
				compare(pick(beforeFile, before, run.workload()), run, out);
				return 0;
			}
			if (before.line() != null) {
				ResultsFile.Run base = beforeFile.line(before.line());
				compare(base, afterFile.latest(base.workload())
					.orElseThrow(() -> new CannotRun(after.file() + " has no " + base.workload() + " run")), out);
				return 0;
			}
			List<String> workloads = (this.workload != null) ? List.of(this.workload) : List.copyOf(afterFile.workloads());
			if (workloads.isEmpty()) {
				throw new CannotRun(after.file() + " has no runs");
			}
			int compared = 0;
			for (String name : workloads) {
				Optional<ResultsFile.Run> run = afterFile.latest(name);
				Optional<ResultsFile.Run> base = beforeFile.latest(name);
				if (run.isEmpty() || base.isEmpty()) {
					out.println("  " + name + ": no run in " + (run.isEmpty() ? after.file() : before.file()) + "; not compared");
					continue;
				}
				compare(base.get(), run.get(), out);
				compared++;
			}
			return (compared > 0) ? 0 : 2;
		}
		catch (CannotRun ex) {
			System.err.println("inloop bench compare: " + ex.getMessage());
			return 2;
		}
	}

	private static ResultsFile.Run pick(ResultsFile file, Source source, String workload) {
		if (source.line() == null) {
			return file.latest(workload).orElseThrow(() -> new CannotRun(source.file() + " has no " + workload + " run"));
		}
		ResultsFile.Run run = file.line(source.line());
		if (!run.workload().equals(workload)) {
			throw new CannotRun("Line " + run.number() + " of " + source.file() + " is a run of " + run.workload() + ", the other of "
					+ workload + ": compare runs of one workload");
		}
		return run;
	}

	private static void compare(ResultsFile.Run baseline, ResultsFile.Run now, PrintStream out) {
		Comparison.of(baseline.json(), now.json()).print(out, baseline.describe(), now.describe());
	}

	/**
	 * A file, or one line of it.
	 *
	 * @param file the results file
	 * @param line its line (from 1, or from the end when negative), or null for the latest run of each workload
	 */
	record Source(Path file, @Nullable Integer line) {

		static Source of(String argument) {
			int colon = argument.lastIndexOf(':');
			if (colon > 0 && argument.substring(colon + 1).matches("-?\\d+")) {
				return new Source(Path.of(argument.substring(0, colon)), Integer.parseInt(argument.substring(colon + 1)));
			}
			return new Source(Path.of(argument), null);
		}

	}

}
