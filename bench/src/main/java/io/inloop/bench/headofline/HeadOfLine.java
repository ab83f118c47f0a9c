package io.inloop.bench.headofline;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.inloop.bench.CpuOptions;
import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.JobFrame;
import io.inloop.bench.client.JobSocket;
import io.inloop.bench.client.JobWatch;
import io.inloop.bench.processes.StackCpu;
import io.inloop.bench.report.Latencies;
import io.inloop.bench.report.RunReport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * HOL: a long job runs, then short jobs are submitted; each short job's time to
 * {@code SUCCEEDED} shows whether it waited behind the long one. The long job is cancelled at the
 * end rather than waited for.
 */
@Command(name = "hol", mixinStandardHelpOptions = true,
		description = "Head-of-line probe: one long job, then short ones; how long each short one takes.")
public final class HeadOfLine extends Workload {

	@Mixin
	CpuOptions cpu = new CpuOptions();

	@Option(names = "--short-jobs", defaultValue = "20", paramLabel = "<count>", description = "One-step jobs after the long one (default: ${DEFAULT-VALUE}).")
	int shortJobs;

	@Option(names = "--long-steps", defaultValue = "30", paramLabel = "<count>", description = "Steps of the long job (default: ${DEFAULT-VALUE}).")
	int longSteps;

	@Option(names = "--long-delay-ms", defaultValue = "1000", paramLabel = "<ms>", description = "Pause before each step of the long job (default: ${DEFAULT-VALUE}).")
	long longDelayMs;

	@Option(names = "--wait", defaultValue = "10", paramLabel = "<seconds>",
			description = "How long after the last short POST to wait for the short jobs (default: ${DEFAULT-VALUE}).")
	int waitSeconds;

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		StackCpu cpu = StackCpu.find(target().layout(), this.cpu.threads > 0);
		String user = "bench-hol-" + Long.toString(System.currentTimeMillis(), 36);
		String token = stack.mintToken(user).get(30, TimeUnit.SECONDS);
		JobWatch watch = new JobWatch();
		JobSocket socket = stack.openSocket(token, watch).get(30, TimeUnit.SECONDS);
		socket.live().get(30, TimeUnit.SECONDS);

		InloopStack.Submitted longJob = stack.submit(token, stack.stepsJob(this.longSteps, this.longDelayMs)).get(30, TimeUnit.SECONDS);
		boolean longStarted = true;
		try {
			// The short jobs must come while the long one runs, not while it is still queued.
			watch.started(longJob.jobId()).get(10, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			longStarted = false;
		}
		log.printf("hol: long job %s %s; submitting %d one-step jobs%n", longJob.jobId(),
				longStarted ? "running" : "not running after 10 s", this.shortJobs);

		Long[] millis = new Long[this.shortJobs];
		int cancelStatus;
		StackCpu.Phase used;
		try {
			cpu.begin();
			timeShortJobs(stack, token, watch, millis);
			used = cpu.end();
		}
		finally {
			cancelStatus = stack.cancel(token, longJob.jobId()).get(30, TimeUnit.SECONDS);
			socket.abort();
		}

		Histogram done = Latencies.histogram();
		int over1s = 0;
		int over8s = 0;
		StringBuilder line = new StringBuilder("each short job, ms to SUCCEEDED (- = not done):");
		for (Long ms : millis) {
			if (ms != null) {
				done.recordValue(TimeUnit.MILLISECONDS.toMicros(ms));
			}
			over1s += (ms == null || ms > 1000) ? 1 : 0;
			over8s += (ms == null || ms > 8000) ? 1 : 0;
			line.append(' ').append((ms != null) ? ms.toString() : "-");
		}
		RunReport report = new RunReport("hol", "HOL head-of-line probe")
			.parameter("shortJobs", this.shortJobs)
			.parameter("longSteps", this.longSteps)
			.parameter("longDelayMs", this.longDelayMs)
			.parameter("waitSeconds", this.waitSeconds)
			.latency("shortJobMs", "short POST -> SUCCEEDED (done ones)", done)
			.figure("notDoneWithin1s", "short jobs not done within 1 s", over1s, "of " + this.shortJobs)
			.figure("notDoneWithin8s", "short jobs not done within 8 s", over8s, "of " + this.shortJobs)
			.figure("notDoneAtAll", "short jobs not done within " + this.waitSeconds + " s", countNull(millis), "of " + this.shortJobs)
			.data("shortJobsMs", Arrays.asList(millis))
			.figure("longJobRunning", "long job was running when they came", longStarted, "")
			.figure("longJobCancel", "cancel of the long job answered", cancelStatus, "")
			.detail(line.toString());
		if (cpu.found()) {
			// The long job's steps run in the same time, and count too.
			used.reportPerJob(report, this.shortJobs, this.cpu.threads);
		}
		return report;
	}

	/** Submits the short jobs one after another and fills in each one's time to SUCCEEDED, or null. */
	private void timeShortJobs(InloopStack stack, String token, JobWatch watch, Long[] millis) throws Exception {
		byte[] shortBody = stack.stepsJob(1, 0);
		List<InloopStack.Submitted> shorts = new ArrayList<>(this.shortJobs);
		for (int i = 0; i < this.shortJobs; i++) {
			shorts.add(stack.submit(token, shortBody).get(30, TimeUnit.SECONDS));
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.waitSeconds);
		for (int i = 0; i < this.shortJobs; i++) {
			CompletableFuture<JobFrame> terminal = watch.terminal(shorts.get(i).jobId());
			long left = Math.max(0, deadline - System.nanoTime());
			try {
				JobFrame frame = terminal.get(left, TimeUnit.NANOSECONDS);
				millis[i] = frame.succeeded() ? TimeUnit.NANOSECONDS.toMillis(frame.receivedNanos() - shorts.get(i).sentNanos()) : null;
			}
			catch (TimeoutException ex) {
				millis[i] = null;
			}
		}
	}

	private static int countNull(Long[] values) {
		int count = 0;
		for (Long value : values) {
			count += (value == null) ? 1 : 0;
		}
		return count;
	}

}
