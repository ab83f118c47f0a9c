package io.inloop.bench.soak;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.inloop.bench.JobOptions;
import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.JobSocket;
import io.inloop.bench.report.CannotRun;
import io.inloop.bench.report.JvmProbe;
import io.inloop.bench.report.RunReport;
import io.inloop.bench.throughput.JobStreamAccounting;
import io.inloop.bench.throughput.MissingVersions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * W6, the soak: C users with a socket each submit R jobs a second for M minutes; every S seconds
 * each Inloop service on this machine is measured after a full GC ({@code jcmd GC.run}): heap,
 * resident memory, open file descriptors. Prints their growth after the warm-up, and what the
 * jobs' streams lost, as W2 does.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
		description = { "Soak: R jobs/s over C users' sockets for M minutes; every S seconds a full GC in each local",
				"Inloop service (jcmd) and its heap, RSS and open files. Prints their growth after the warm-up and the loss tally." })
public final class Soak extends Workload {

	private static final double MIB = 1024 * 1024;

	@Mixin
	JobOptions job = new JobOptions();

	@Option(names = "--users", defaultValue = "200", paramLabel = "<count>", description = "Users, each with a token and a WebSocket (default: ${DEFAULT-VALUE}).")
	int users;

	@Option(names = "--rate", defaultValue = "130", paramLabel = "<jobs/s>",
			description = "Jobs submitted per second, evenly spaced (default: ${DEFAULT-VALUE}: half of W2 on the 2-core box of docs/performance.md).")
	double rate;

	@Option(names = "--minutes", defaultValue = "30", paramLabel = "<minutes>", description = "How long to submit (default: ${DEFAULT-VALUE}).")
	double minutes;

	@Option(names = "--warm-up", defaultValue = "120", paramLabel = "<seconds>",
			description = "Growth is measured from the first sample after this (default: ${DEFAULT-VALUE}).")
	int warmUpSeconds;

	@Option(names = "--sample-every", defaultValue = "60", paramLabel = "<seconds>", description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
	int sampleSeconds;

	@Option(names = "--in-flight", defaultValue = "200", paramLabel = "<count>",
			description = "POSTs in flight at most; the rate drops if the stack cannot keep up (default: ${DEFAULT-VALUE}).")
	int inFlight;

	@Option(names = "--plot", defaultValue = ".inloop/bench/soak-resources.svg", paramLabel = "<file.svg>",
			description = "Where to draw each service's heap, RSS and open files over time (default: ${DEFAULT-VALUE}).")
	Path plot;

	@Option(names = "--deadline", defaultValue = "60", paramLabel = "<seconds>",
			description = "How long after the last POST to wait for terminal frames; a job still without one is lost (default: ${DEFAULT-VALUE}).")
	int deadlineSeconds;

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		List<ServiceJvm> services = ServiceJvm.findAll();
		if (services.isEmpty()) {
			throw new CannotRun("No Inloop service runs on this machine (the soak measures them with jcmd): run ./inloop start --processes");
		}
		String run = Long.toString(System.currentTimeMillis(), 36);
		List<String> names = new ArrayList<>(this.users);
		for (int i = 0; i < this.users; i++) {
			names.add("bench-soak-" + run + "-" + i);
		}
		log.printf("soak: %d sockets; %.0f jobs/s for %.1f min; sampling %s every %d s%n", this.users, this.rate,
				this.minutes, services.stream().map(ServiceJvm::name).toList(), this.sampleSeconds);
		List<String> tokens = stack.mintTokens(names, 50);
		JobStreamAccounting accounting = new JobStreamAccounting();
		Map<String, Boolean> finished = new ConcurrentHashMap<>();
		List<JobSocket> sockets = stack.openSockets(tokens, (frame) -> {
			accounting.record(frame);
			if (frame.terminal()) {
				finished.put(frame.jobId(), true);
			}
		});

		Map<String, List<Sample>> samples = new LinkedHashMap<>();
		services.forEach((service) -> samples.put(service.name(), new ArrayList<>()));
		long startedMillis = System.currentTimeMillis() - 1000;
		long start = System.nanoTime();
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		sampler.scheduleWithFixedDelay(() -> sample(services, samples, start, log), 0, this.sampleSeconds, TimeUnit.SECONDS);

		byte[] body = stack.stepsJob(this.job.steps, this.job.delayMs);
		Map<String, Boolean> accepted = new ConcurrentHashMap<>();
		AtomicInteger rejected = new AtomicInteger();
		AtomicReference<String> firstError = new AtomicReference<>();
		Semaphore permits = new Semaphore(this.inFlight);
		long jobs = Math.round(this.rate * this.minutes * 60);
		double interval = 1e9 / this.rate;
		for (long i = 0; i < jobs; i++) {
			LockSupport.parkNanos(start + (long) (i * interval) - System.nanoTime());
			permits.acquire();
			stack.submit(tokens.get((int) (i % this.users)), body).whenComplete((submitted, error) -> {
				if (submitted != null) {
					accepted.put(submitted.jobId(), true);
				}
				else {
					rejected.incrementAndGet();
					firstError.compareAndSet(null, String.valueOf(error));
				}
				permits.release();
			});
		}
		permits.acquire(this.inFlight);
		double submitSeconds = (System.nanoTime() - start) / 1e9;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.deadlineSeconds);
		while (System.nanoTime() < deadline && !finished.keySet().containsAll(accepted.keySet())) {
			Thread.sleep(50);
		}
		sampler.shutdown();
		sampler.awaitTermination(5, TimeUnit.MINUTES);
		sample(services, samples, start, log);
		Map<Integer, Integer> closes = new TreeMap<>();
		for (JobSocket socket : sockets) {
			if (socket.closed().isDone()) {
				closes.merge(socket.closed().join(), 1, Integer::sum);
			}
			socket.abort();
		}

		JobStreamAccounting.Tally tally = accounting.tally(accepted.keySet());
		RunReport report = new RunReport("soak", "Soak")
			.parameter("users", this.users)
			.parameter("rate", this.rate)
			.parameter("minutes", this.minutes)
			.parameter("steps", this.job.steps)
			.parameter("delayMs", this.job.delayMs)
			.parameter("warmUpSeconds", this.warmUpSeconds)
			.parameter("sampleSeconds", this.sampleSeconds)
			.figure("jobsPerSecond", "jobs/s submitted (measured)", round(accepted.size() / submitSeconds), "")
			.figure("accepted", "jobs accepted (202)", accepted.size(), "")
			.figure("rejected", "POSTs failed", rejected.get(), "")
			.figure("refusedThenRetried", "POSTs refused 503 (asked again after Retry-After)", stack.refused(), "")
			.figure("slowestAnswerMs", "slowest POST answer (any try)", stack.slowestAnswer().toMillis(), "ms")
			.figure("slowAnswers", "POST answers after more than " + InloopStack.SLOW_ANSWER.toSeconds() + " s", stack.slowAnswers(), "")
			.figure("succeeded", "jobs SUCCEEDED", tally.succeeded(), "")
			.figure("unfinished", "jobs without terminal frame (lost)", tally.unfinished(), "")
			.figure("frames", "job frames received", tally.frames(), "")
			.figure("lost", "frames lost", tally.lost(), "")
			.figure("duplicated", "frames duplicated", tally.duplicated(), "")
			.figure("outOfOrder", "frames out of order", tally.outOfOrder(), "")
			.figure("socketsClosedByServer", "sockets closed during the run", closes.isEmpty() ? 0 : closes.toString(), "");
		MissingVersions.report(report, accounting.missingVersions(accepted.keySet()), this.stack.kafka, startedMillis,
				log);
		samples.forEach((service, taken) -> describe(report, service, taken));
		new ResourcePlot(String.format(Locale.ROOT, "Soak: %.0f jobs/s for %.0f min over %d sockets", this.rate, this.minutes,
				this.users), samples, this.warmUpSeconds).write(this.plot);
		report.figure("plot", "plot", this.plot.toString(), "");
		if (firstError.get() != null) {
			report.note("first failed POST: " + firstError.get());
		}
		report.note("heap = used after a full GC (jcmd GC.run, GC.heap_info); growth from the first sample after the warm-up to the last,"
				+ " and its least-squares slope per hour; fds = entries of /proc/<pid>/fd; every sample drawn in the plot");
		return report;
	}

	private void describe(RunReport report, String service, List<Sample> taken) {
		List<Sample> steady = taken.stream().filter((sample) -> sample.seconds() >= this.warmUpSeconds).toList();
		if (steady.size() < 2) {
			report.figure(service + ".samples", service + ": samples after the warm-up", steady.size(), "");
			return;
		}
		Sample first = steady.get(0);
		Sample last = steady.get(steady.size() - 1);
		report.figure(service + ".heapMiB", service + ": heap after GC, first / last / max",
				mib(first.heap()) + " / " + mib(last.heap()) + " / " + mib(steady.stream().mapToLong(Sample::heap).max().orElse(0)), "MiB")
			.figure(service + ".heapSlopeMiBPerHour", service + ": heap slope", round(slope(steady, Sample::heap) * 3600 / MIB), "MiB/h")
			.figure(service + ".rssMiB", service + ": RSS, first / last", mib(first.rss()) + " / " + mib(last.rss()), "MiB")
			.figure(service + ".openFiles", service + ": open fds, first / last / max",
					first.openFiles() + " / " + last.openFiles() + " / " + steady.stream().mapToLong(Sample::openFiles).max().orElse(0), "");
	}

	private static void sample(List<ServiceJvm> services, Map<String, List<Sample>> samples, long start, PrintStream log) {
		double seconds = (System.nanoTime() - start) / 1e9;
		StringBuilder line = new StringBuilder(String.format("soak: %5.0f s", seconds));
		for (ServiceJvm service : services) {
			try {
				Long heap = JvmProbe.heapAfterFullGc(service.pid());
				Long rss = JvmProbe.rss(service.pid());
				Sample sample = new Sample(seconds, (heap != null) ? heap : -1, (rss != null) ? rss : -1, JvmProbe.openFiles(service.pid()));
				samples.get(service.name()).add(sample);
				line.append(String.format("  %s heap %s MiB, rss %s MiB, fds %d", service.name(), mib(sample.heap()), mib(sample.rss()),
						sample.openFiles()));
			}
			catch (Exception ex) {
				line.append("  ").append(service.name()).append(" unreadable (").append(ex.getMessage()).append(")");
			}
		}
		log.println(line);
	}

	/** Least-squares slope of {@code value} over the samples' seconds, per second. */
	static double slope(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
		double n = samples.size();
		double meanX = samples.stream().mapToDouble(Sample::seconds).sum() / n;
		double meanY = samples.stream().mapToDouble(value::applyAsLong).sum() / n;
		double covariance = 0;
		double variance = 0;
		for (Sample sample : samples) {
			double dx = sample.seconds() - meanX;
			covariance += dx * (value.applyAsLong(sample) - meanY);
			variance += dx * dx;
		}
		return (variance == 0) ? 0 : covariance / variance;
	}

	private static String mib(long bytes) {
		return (bytes < 0) ? "?" : Double.toString(round(bytes / MIB));
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	/** One service measured once: seconds since the start; bytes; open file descriptors (-1: unreadable). */
	record Sample(double seconds, long heap, long rss, long openFiles) {
	}

}
