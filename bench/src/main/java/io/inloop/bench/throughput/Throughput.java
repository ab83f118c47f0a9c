package io.inloop.bench.throughput;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.inloop.bench.CpuOptions;
import io.inloop.bench.JobOptions;
import io.inloop.bench.PeerOptions;
import io.inloop.bench.Target;
import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.JobFrame;
import io.inloop.bench.client.JobSocket;
import io.inloop.bench.processes.StackCpu;
import io.inloop.bench.report.Latencies;
import io.inloop.bench.report.RunReport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * W2: many users, each with its own token and WebSocket, submit jobs at once with a bounded number
 * of {@code POST}s in flight; jobs and frames per second, and what each job's stream lost.
 */
@Command(name = "w2", mixinStandardHelpOptions = true,
		description = "Throughput: C users with a socket each, N jobs spread over them, at most K POSTs in flight.")
public final class Throughput extends Workload {

	@Mixin
	JobOptions job = new JobOptions();

	@Mixin
	PeerOptions peer = new PeerOptions();

	@Mixin
	CpuOptions cpu = new CpuOptions();

	@Option(names = "--users", defaultValue = "200", paramLabel = "<count>", description = "Users, each with a token and a WebSocket (default: ${DEFAULT-VALUE}).")
	int users;

	@Option(names = "--jobs", defaultValue = "2000", paramLabel = "<count>", description = "Jobs in all (default: ${DEFAULT-VALUE}).")
	int jobs;

	@Option(names = "--in-flight", defaultValue = "50", paramLabel = "<count>", description = "POSTs in flight at most (default: ${DEFAULT-VALUE}).")
	int inFlight;

	@Option(names = "--deadline", defaultValue = "60", paramLabel = "<seconds>",
			description = "How long after the last POST to wait for terminal frames; a job still without one is lost (default: ${DEFAULT-VALUE}).")
	int deadlineSeconds;

	@Override
	protected Target target() {
		return this.peer.target;
	}

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		StackCpu cpu = StackCpu.find(target().layout(), this.cpu.threads > 0);
		String run = Long.toString(System.currentTimeMillis(), 36);
		List<String> names = new ArrayList<>(this.users);
		for (int i = 0; i < this.users; i++) {
			names.add("bench-w2-" + run + "-" + i);
		}
		log.printf("w2: minting %d tokens and opening %d sockets%n", this.users, this.users);
		List<String> tokens = stack.mintTokens(names, 50);

		JobStreamAccounting accounting = new JobStreamAccounting();
		ConcurrentHashMap<String, Long> terminalAt = new ConcurrentHashMap<>();
		List<JobSocket> sockets = stack.openSockets(tokens, (frame) -> {
			accounting.record(frame);
			if (frame.terminal()) {
				terminalAt.putIfAbsent(frame.jobId(), frame.receivedNanos());
			}
		});

		byte[] body = stack.stepsJob(this.job.steps, this.job.delayMs);
		Map<String, Long> sentAt = new ConcurrentHashMap<>();
		Histogram post = Latencies.histogram();
		AtomicInteger rejected = new AtomicInteger();
		AtomicReference<String> firstError = new AtomicReference<>();
		Queue<InloopStack.Submitted> accepted = new ConcurrentLinkedQueue<>();
		Semaphore permits = new Semaphore(this.inFlight);
		log.printf("w2: %d jobs over %d users, at most %d POSTs in flight%n", this.jobs, this.users, this.inFlight);
		cpu.begin();
		long startedMillis = System.currentTimeMillis() - 1000;
		long start = System.nanoTime();
		for (int i = 0; i < this.jobs; i++) {
			permits.acquire();
			stack.submit(tokens.get(i % this.users), body).whenComplete((submitted, error) -> {
				if (submitted != null) {
					accepted.add(submitted);
					sentAt.put(submitted.jobId(), submitted.sentNanos());
				}
				else {
					rejected.incrementAndGet();
					firstError.compareAndSet(null, String.valueOf(error));
				}
				permits.release();
			});
		}
		permits.acquire(this.inFlight);
		long lastPost = System.nanoTime();
		accepted.forEach((submitted) -> Latencies.record(post, submitted.sentNanos(), submitted.answeredNanos()));

		long deadline = lastPost + TimeUnit.SECONDS.toNanos(this.deadlineSeconds);
		while (System.nanoTime() < deadline && !sentAt.keySet().stream().allMatch(terminalAt::containsKey)) {
			Thread.sleep(20);
		}
		StackCpu.Phase used = cpu.end();
		// Frames still on their way for a moment after the last terminal one: duplicates, stragglers.
		Thread.sleep(500);
		long firstPost = accepted.stream().mapToLong(InloopStack.Submitted::sentNanos).min().orElse(start);
		long lastTerminal = sentAt.keySet().stream().mapToLong((id) -> terminalAt.getOrDefault(id, 0L)).max().orElse(0);
		Histogram endToEnd = Latencies.histogram();
		sentAt.forEach((id, sent) -> {
			Long end = terminalAt.get(id);
			if (end != null) {
				Latencies.record(endToEnd, sent, end);
			}
		});
		Map<Integer, Integer> closes = new TreeMap<>();
		for (JobSocket socket : sockets) {
			if (socket.closed().isDone()) {
				closes.merge(socket.closed().join(), 1, Integer::sum);
			}
			socket.abort();
		}

		JobStreamAccounting.Tally tally = accounting.tally(sentAt.keySet());
		double seconds = Math.max(1, lastTerminal - firstPost) / 1e9;
		RunReport report = new RunReport("w2", "W2 throughput")
			.parameter("users", this.users)
			.parameter("jobs", this.jobs)
			.parameter("inFlight", this.inFlight)
			.parameter("steps", this.job.steps)
			.parameter("delayMs", this.job.delayMs)
			.parameter("deadlineSeconds", this.deadlineSeconds)
			.latency("postMs", "POST -> response", post)
			.latency("terminalMs", "POST -> terminal frame", endToEnd)
			.figure("jobsPerSecond", "jobs/s (first POST to last terminal)", round(tally.succeeded() / seconds), "")
			.figure("eventsPerSecond", "events/s (job frames received)", round(tally.frames() / seconds), "")
			.figure("seconds", "first POST to last terminal frame", round(seconds), "s")
			.figure("accepted", "jobs accepted (202)", sentAt.size(), "")
			.figure("rejected", "POSTs failed", rejected.get(), "")
			.figure("refusedThenRetried", "POSTs refused 503 (asked again after Retry-After)", stack.refused(), "")
			.figure("succeeded", "jobs SUCCEEDED", tally.succeeded(), "")
			.figure("otherTerminal", "jobs FAILED or CANCELLED", tally.finished() - tally.succeeded(), "")
			.figure("unfinished", "jobs without terminal frame (lost)", tally.unfinished(), "")
			.figure("frames", "job frames received", tally.frames(), "")
			.figure("lost", "frames lost", tally.lost(), "")
			.figure("duplicated", "frames duplicated", tally.duplicated(), "")
			.figure("outOfOrder", "frames out of order", tally.outOfOrder(), "")
			.figure("afterTerminal", "frames after terminal", tally.afterTerminal(), "")
			.figure("foreignFrames", "frames of other jobs", tally.foreignFrames(), "")
			.figure("socketsClosedByServer", "sockets closed during the run", closes.isEmpty() ? 0 : closes.toString(), "");
		if (firstError.get() != null) {
			report.note("first failed POST: " + firstError.get());
		}
		if (cpu.found()) {
			used.reportPerJob(report, tally.succeeded(), this.cpu.threads);
		}
		else {
			report.note("CPU: found no process of " + target().layout().description() + " on this machine");
		}
		MissingVersions.report(report, accounting.missingVersions(sentAt.keySet()), this.stack.kafka, startedMillis,
				log);
		report.note("lost = versions missing per job (attempt, sequence) and terminal frames never received; "
				+ "missing* sorts the versions by what the status topic holds");
		return report;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

}
