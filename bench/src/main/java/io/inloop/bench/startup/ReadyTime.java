package io.inloop.bench.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.inloop.bench.PeerOptions;
import io.inloop.bench.Target;
import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.processes.CpuSample;
import io.inloop.bench.processes.Footprint;
import io.inloop.bench.processes.ProcStat;
import io.inloop.bench.processes.StackProcess;
import io.inloop.bench.report.CannotRun;
import io.inloop.bench.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Ready: starts the stack itself on a fresh data directory, as a developer would, and times it
 * until it says it is ready and every part answers its readiness check; then reads each process's
 * memory and the CPU it took to start, and stops it. Cold starts one after another.
 */
@Command(name = "ready", mixinStandardHelpOptions = true,
		description = { "Cold start: runs ./inloop start --quiet on a fresh data directory (or the peer's run.sh), times it until ready,",
				"reads every process's RSS, stops it; no stack may be running. Builds nothing: build first (./inloop start once)." })
public final class ReadyTime extends Workload {

	@Mixin
	PeerOptions peer = new PeerOptions();

	@Option(names = "--runs", defaultValue = "3", paramLabel = "<count>", description = "Cold starts, one after another (default: ${DEFAULT-VALUE}).")
	int runs;

	@Option(names = "--start-timeout", defaultValue = "180", paramLabel = "<seconds>",
			description = "How long one start may take before the run fails (default: ${DEFAULT-VALUE}).")
	int startTimeoutSeconds;

	@Option(names = "--processes",
			description = "Start Inloop with ./inloop start --processes: each service in a JVM of its own (default: all in one JVM).")
	boolean processes;

	// HTTP/1.1: an h2c upgrade is not what a Node server (Socket.IO listens for upgrades) expects.
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	@Override
	protected Target target() {
		return this.peer.target;
	}

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		Target.Start start = target().start();
		if (this.runs < 1) {
			throw new CannotRun("--runs must be at least 1");
		}
		if (!Files.isExecutable(Path.of(start.command().get(0)))) {
			throw new CannotRun("No " + start.command().get(0) + " here: run the bench from the repository root (./inloop bench ready)");
		}
		if (this.processes && target() != Target.INLOOP) {
			throw new CannotRun("--processes is an option of ./inloop start, not of a peer");
		}
		if (target() == Target.INLOOP && !hasCliJar()) {
			throw new CannotRun("No cli/target/cli-*-exec.jar: build the stack first (./inloop start once, or ./mvnw -DskipTests install)");
		}
		if (target() == Target.SOCKETIO && !Files.isDirectory(Path.of("bench/peers/bullmq/node_modules"))) {
			throw new CannotRun("The peer is not installed: run bench/peers/bullmq/run.sh once first (it runs npm ci)");
		}
		List<Integer> taken = start.ports().stream().filter((port) -> !isFree(port)).toList();
		if (!taken.isEmpty()) {
			throw new CannotRun("Port " + taken + " is taken: ready starts its own stack, so stop the one running first");
		}

		List<ColdStart> starts = new ArrayList<>();
		for (int i = 1; i <= this.runs; i++) {
			log.printf("ready: cold start %d of %d: %s%n", i, this.runs, String.join(" ", start.command()));
			ColdStart cold = coldStart(start, log);
			starts.add(cold);
			log.printf(Locale.ROOT, "ready: %.1f s to ready, %.1f s to every readiness check, stopped in %.1f s%n", cold.readySeconds(),
					cold.readinessSeconds(), cold.stopSeconds());
			awaitPortsFree(start.ports());
		}
		return report(starts);
	}

	private RunReport report(List<ColdStart> starts) {
		RunReport report = new RunReport("ready", "Ready: cold starts").parameter("runs", this.runs);
		double ready = median(starts.stream().map(ColdStart::readySeconds).toList());
		report.figure("readyMedian", "start -> \"" + target().start().readyLine() + "\", median", round(ready), "s")
			.figure("readinessMedian", "start -> every readiness check 200, median",
					round(median(starts.stream().map(ColdStart::readinessSeconds).toList())), "s")
			.figure("rssMedian", "RSS of the stack once ready, median",
					round(median(starts.stream().map((cold) -> cold.rssMiB().get("stack")).toList())), "MiB")
			.data("readySeconds", spread(starts.stream().map(ColdStart::readySeconds).toList()))
			.data("readinessSeconds", spread(starts.stream().map(ColdStart::readinessSeconds).toList()))
			.data("stopSeconds", spread(starts.stream().map(ColdStart::stopSeconds).toList()))
			.data("rssMiB", medians(starts.stream().map(ColdStart::rssMiB).toList()))
			.data("startCpuSeconds", medians(starts.stream().map(ColdStart::startCpuSeconds).toList()))
			.data("runs", starts.stream().map(ColdStart::toMap).toList());
		for (int i = 0; i < starts.size(); i++) {
			ColdStart cold = starts.get(i);
			report.detail(String.format(Locale.ROOT, "run %d: ready %.1f s, readiness %.1f s, stopped in %.1f s; RSS %.0f MiB, CPU to start %.1f s",
					i + 1, cold.readySeconds(), cold.readinessSeconds(), cold.stopSeconds(), cold.rssMiB().get("stack"),
					cold.startCpuSeconds().get("stack")));
		}
		report.detail("the last start, once ready:");
		starts.get(starts.size() - 1).footprint().detail(report, null);
		report.note("ready = from starting the command to its line \"" + target().start().readyLine()
				+ "\"; readiness = until " + target().start().readiness() + " all answered 200");
		report.note("CPU to start = user + system time of each process from its start to ready (/proc/<pid>/stat)");
		return report;
	}

	private ColdStart coldStart(Target.Start start, PrintStream log) throws Exception {
		Path data = Files.createTempDirectory("inloop-ready-");
		List<String> command = new ArrayList<>(start.commandFor(data));
		if (this.processes) {
			command.add("--processes");
		}
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("INLOOP_SKIP_BUILD", "1");
		long began = System.nanoTime();
		Process process = builder.start();
		Thread stopOnExit = new Thread(() -> kill(process), "ready-stop-on-exit");
		Runtime.getRuntime().addShutdownHook(stopOnExit);
		Deque<String> tail = new ArrayDeque<>();
		CompletableFuture<Long> ready = new CompletableFuture<>();
		Thread reader = new Thread(() -> read(process, start.readyLine(), tail, ready), "ready-output");
		reader.setDaemon(true);
		reader.start();
		boolean failed = true;
		try {
			long readyAt;
			try {
				readyAt = ready.get(this.startTimeoutSeconds, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				throw new CannotRun("Not ready after " + this.startTimeoutSeconds + " s; its last lines:\n  " + lines(tail));
			}
			if (readyAt < 0) {
				throw new CannotRun(String.join(" ", start.command()) + " exited before it was ready; its last lines:\n  " + lines(tail));
			}
			awaitReadiness(start.readiness());
			long readinessAt = System.nanoTime();
			List<StackProcess> processes = target().layout().find();
			Footprint footprint = Footprint.of(processes);
			Map<String, Double> startCpu = new TreeMap<>();
			CpuSample.take(processes, false).processes().forEach((ticks) -> startCpu.merge(ticks.process().name(),
					ProcStat.ticksToMillis(ticks.ticks()) / 1000, Double::sum));
			startCpu.put("stack", startCpu.values().stream().mapToDouble(Double::doubleValue).sum());

			long stopping = System.nanoTime();
			process.destroy();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				log.println("ready: still running 60 s after SIGTERM; killing it");
				kill(process);
			}
			long stopped = System.nanoTime();
			// Whatever it started and left behind.
			processes.forEach((left) -> ProcessHandle.of(left.pid()).ifPresent(ProcessHandle::destroyForcibly));
			failed = false;
			Map<String, Double> rss = new TreeMap<>();
			footprint.processes().forEach((one) -> rss.merge(one.process().name(), one.rssBytes() / (1024.0 * 1024), Double::sum));
			rss.put("stack", footprint.rssBytes() / (1024.0 * 1024));
			return new ColdStart(seconds(readyAt - began), seconds(readinessAt - began), seconds(stopped - stopping), rss, startCpu,
					footprint);
		}
		finally {
			if (failed) {
				kill(process);
				log.println("ready: its data and logs are kept in " + data);
			}
			else {
				deleteTree(data);
			}
			Runtime.getRuntime().removeShutdownHook(stopOnExit);
		}
	}

	/** Completes {@code ready} with the time its line came, or -1 when the output ended first; keeps the last lines. */
	private static void read(Process process, String readyLine, Deque<String> tail, CompletableFuture<Long> ready) {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (!ready.isDone() && line.contains(readyLine)) {
					ready.complete(System.nanoTime());
				}
				synchronized (tail) {
					tail.addLast(line);
					if (tail.size() > 20) {
						tail.removeFirst();
					}
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
		ready.complete(-1L);
	}

	private void awaitReadiness(List<URI> readiness) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (URI uri : readiness) {
			while (!answers200(uri)) {
				if (System.nanoTime() > deadline) {
					throw new CannotRun(uri + " did not answer 200 within 30 s of the ready line");
				}
				Thread.sleep(50);
			}
		}
	}

	private boolean answers200(URI uri) throws InterruptedException {
		try {
			HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean hasCliJar() throws IOException {
		Path target = Path.of("cli", "target");
		if (!Files.isDirectory(target)) {
			return false;
		}
		try (Stream<Path> files = Files.list(target)) {
			return files.anyMatch((file) -> file.getFileName().toString().matches("cli-.*-exec\\.jar"));
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress("127.0.0.1", port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void awaitPortsFree(List<Integer> ports) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!ports.stream().allMatch(ReadyTime::isFree) && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
	}

	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	private static String lines(Deque<String> tail) {
		synchronized (tail) {
			return String.join("\n  ", tail);
		}
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static Map<String, Double> spread(List<Double> values) {
		Map<String, Double> spread = new LinkedHashMap<>();
		spread.put("median", round(median(values)));
		spread.put("min", round(values.stream().mapToDouble(Double::doubleValue).min().orElse(0)));
		spread.put("max", round(values.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
		return spread;
	}

	/** The median per name over the runs that have it. */
	private static Map<String, Double> medians(List<Map<String, Double>> runs) {
		Map<String, List<Double>> byName = new TreeMap<>();
		runs.forEach((run) -> run.forEach((name, value) -> byName.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value)));
		Map<String, Double> medians = new LinkedHashMap<>();
		medians.put("stack", round(median(byName.remove("stack"))));
		byName.forEach((name, values) -> medians.put(name, round(median(values))));
		return medians;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	/**
	 * One cold start.
	 *
	 * @param readySeconds from starting the command to its ready line
	 * @param readinessSeconds from starting the command to every readiness check answering 200
	 * @param stopSeconds from SIGTERM to its exit
	 * @param rssMiB resident memory per process name once ready, and {@code stack} for all
	 * @param startCpuSeconds CPU time per process name from its start to ready, and {@code stack} for all
	 * @param footprint every process once ready
	 */
	record ColdStart(double readySeconds, double readinessSeconds, double stopSeconds, Map<String, Double> rssMiB,
			Map<String, Double> startCpuSeconds, Footprint footprint) {

		Map<String, Object> toMap() {
			Map<String, Object> run = new LinkedHashMap<>();
			run.put("readySeconds", round(this.readySeconds));
			run.put("readinessSeconds", round(this.readinessSeconds));
			run.put("stopSeconds", round(this.stopSeconds));
			run.put("rssMiB", round(this.rssMiB.get("stack")));
			run.put("startCpuSeconds", round(this.startCpuSeconds.get("stack")));
			return run;
		}

	}

}
