package io.inloop.bench.latency;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.inloop.bench.CpuOptions;
import io.inloop.bench.JobOptions;
import io.inloop.bench.PeerOptions;
import io.inloop.bench.Target;
import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.JobFrame;
import io.inloop.bench.client.JobSocket;
import io.inloop.bench.client.JobWatch;
import io.inloop.bench.processes.StackCpu;
import io.inloop.bench.report.Latencies;
import io.inloop.bench.report.LatencyPlot;
import io.inloop.bench.report.RunReport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * W1: one user with its WebSocket connected submits jobs one after another; for each, the time
 * from sending the {@code POST} to its {@code SUCCEEDED} frame at the socket, and to the
 * {@code POST}'s response.
 */
@Command(name = "w1", mixinStandardHelpOptions = true,
		description = "Sequential latency: one user, N jobs one after another (POST -> SUCCEEDED frame).")
public final class SequentialLatency extends Workload {

	@Mixin
	JobOptions job = new JobOptions();

	@Mixin
	PeerOptions peer = new PeerOptions();

	@Mixin
	CpuOptions cpu = new CpuOptions();

	@Option(names = "--jobs", defaultValue = "300", paramLabel = "<count>", description = "Jobs measured (default: ${DEFAULT-VALUE}).")
	int jobs;

	@Option(names = "--warmup", defaultValue = "30", paramLabel = "<count>",
			description = "Jobs run first and not counted (default: ${DEFAULT-VALUE}).")
	int warmup;

	@Option(names = "--job-timeout", defaultValue = "30", paramLabel = "<seconds>",
			description = "How long to wait for one job's terminal frame before counting it as lost (default: ${DEFAULT-VALUE}).")
	int jobTimeoutSeconds;

	@Option(names = "--plot", defaultValue = ".inloop/bench/w1-latency.svg", paramLabel = "<file.svg>",
			description = "Where to draw the latency distribution (default: ${DEFAULT-VALUE}).")
	Path plot;

	@Override
	protected Target target() {
		return this.peer.target;
	}

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		StackCpu cpu = StackCpu.find(target().layout(), this.cpu.threads > 0);
		String user = "bench-w1-" + Long.toString(System.currentTimeMillis(), 36);
		String token = stack.mintToken(user).get(30, TimeUnit.SECONDS);
		JobWatch watch = new JobWatch();
		JobSocket socket = stack.openSocket(token, watch).get(30, TimeUnit.SECONDS);
		socket.live().get(30, TimeUnit.SECONDS);
		byte[] body = stack.stepsJob(this.job.steps, this.job.delayMs);

		Histogram post = Latencies.histogram();
		Histogram endToEnd = Latencies.histogram();
		int timedOut = 0;
		int failed = 0;
		log.printf("w1: %d warm-up jobs, then %d measured, as %s%n", this.warmup, this.jobs, user);
		for (int i = 0; i < this.warmup + this.jobs; i++) {
			boolean measured = i >= this.warmup;
			if (i == this.warmup) {
				cpu.begin();
			}
			InloopStack.Submitted submitted = stack.submit(token, body).get(30, TimeUnit.SECONDS);
			if (measured) {
				Latencies.record(post, submitted.sentNanos(), submitted.answeredNanos());
			}
			JobFrame terminal;
			try {
				terminal = watch.terminal(submitted.jobId()).get(this.jobTimeoutSeconds, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				timedOut += measured ? 1 : 0;
				watch.forget(submitted.jobId());
				continue;
			}
			watch.forget(submitted.jobId());
			if (!measured) {
				continue;
			}
			if (terminal.succeeded()) {
				Latencies.record(endToEnd, submitted.sentNanos(), terminal.receivedNanos());
			}
			else {
				failed++;
			}
		}
		StackCpu.Phase used = cpu.end();
		socket.abort();

		new LatencyPlot("W1 sequential latency, " + this.jobs + " jobs of " + this.job.steps + " steps")
			.add("POST → SUCCEEDED frame", endToEnd)
			.add("POST → response", post)
			.write(this.plot);
		RunReport report = new RunReport("w1", "W1 sequential latency")
			.parameter("jobs", this.jobs)
			.parameter("warmup", this.warmup)
			.parameter("steps", this.job.steps)
			.parameter("delayMs", this.job.delayMs)
			.latency("postMs", "POST -> response", post)
			.latency("succeededMs", "POST -> SUCCEEDED frame", endToEnd)
			.figure("failed", "jobs ended otherwise than SUCCEEDED", failed, "")
			.figure("timedOut", "jobs without terminal frame in " + this.jobTimeoutSeconds + " s", timedOut, "")
			.figure("plot", "plot", this.plot.toString(), "");
		if (cpu.found()) {
			used.reportPerJob(report, this.jobs - timedOut, this.cpu.threads);
		}
		else {
			report.note("CPU: found no process of " + target().layout().description() + " on this machine");
		}
		return report;
	}

}
