package io.inloop.bench.connections;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.NettySocket;
import io.inloop.bench.client.NettySockets;
import io.inloop.bench.report.Latencies;
import io.inloop.bench.report.RunReport;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * W3: M idle WebSockets, each of its own user, spread round-robin over one or more notifiers: how
 * fast they open, how many are still open after a while, and each notifier's memory per
 * connection and CPU while they idle.
 */
@Command(name = "w3", mixinStandardHelpOptions = true,
		description = "Idle connections: open M WebSockets (a user each) over the --ws notifiers, hold them, measure each notifier's memory per connection and idle CPU.")
public final class IdleConnections extends Workload {

	/** File descriptors the bench keeps for itself besides the sockets: jars, HTTP connections, pipes, epoll. */
	public static final long SPARE_FILES = 300;

	@Option(names = "--connections", defaultValue = "5000", paramLabel = "<count>", description = "WebSockets to open (default: ${DEFAULT-VALUE}).")
	int connections;

	@Option(names = "--hold", defaultValue = "30", paramLabel = "<seconds>", description = "How long to hold them open (default: ${DEFAULT-VALUE}).")
	int holdSeconds;

	@Option(names = "--connect-concurrency", defaultValue = "500", paramLabel = "<count>",
			description = "Handshakes in flight at most (default: ${DEFAULT-VALUE}).")
	int connectConcurrency;

	@Option(names = "--connect-timeout", defaultValue = "300", paramLabel = "<seconds>",
			description = "How long opening all of them may take (default: ${DEFAULT-VALUE}).")
	int connectTimeoutSeconds;

	@Option(names = "--io-threads", defaultValue = "2", paramLabel = "<count>",
			description = "Netty event loop threads of the bench's WebSocket client (default: ${DEFAULT-VALUE}).")
	int ioThreads;

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		checkOpenFiles(this.connections);
		List<URI> notifiers = this.stack.webSockets;
		String run = Long.toString(System.currentTimeMillis(), 36);
		List<String> users = new ArrayList<>(this.connections);
		for (int i = 0; i < this.connections; i++) {
			users.add("bench-w3-" + run + "-" + i);
		}
		log.printf("w3: minting %d tokens%n", this.connections);
		List<String> tokens = stack.mintTokens(users, 50);
		String metricsToken = stack.mintToken("bench-w3-" + run + "-metrics", List.of("metrics")).join();

		List<NotifierProcess> processes = NotifierProcess.findAll();
		List<Target> targets = new ArrayList<>();
		for (URI webSocket : notifiers) {
			int port = (webSocket.getPort() > 0) ? webSocket.getPort() : 80;
			Optional<NotifierProcess> process = NotifierProcess.find(processes, port);
			NotifierProcess.Footprint before = (process.isPresent()) ? process.get().measure() : null;
			targets.add(new Target(webSocket, process.orElse(null), before, prometheusDirect(stack, webSocket, metricsToken)));
		}

		try (NettySockets sockets = new NettySockets(this.ioThreads, stack.json())) {
			log.printf("w3: opening %d WebSockets over %d notifier(s), at most %d handshakes at a time (netty %s)%n",
					this.connections, targets.size(), this.connectConcurrency, sockets.transport());
			Histogram handshake = Latencies.histogram();
			AtomicLong failures = new AtomicLong();
			AtomicReference<String> firstError = new AtomicReference<>();
			AtomicLong lastLive = new AtomicLong();
			Semaphore permits = new Semaphore(this.connectConcurrency);
			for (Target target : targets) {
				target.connectCpuBefore = (target.process != null) ? target.process.cpuSeconds() : -1;
			}
			long benchCpuBefore = benchCpuNanos();
			long start = System.nanoTime();
			for (int i = 0; i < tokens.size(); i++) {
				Target target = targets.get(i % targets.size());
				permits.acquire();
				long began = System.nanoTime();
				sockets.open(target.webSocket, tokens.get(i), (frame) -> {
				}, true)
					.thenCompose((socket) -> socket.live().thenApply((live) -> socket))
					.orTimeout(60, TimeUnit.SECONDS)
					.whenComplete((socket, error) -> {
						long now = System.nanoTime();
						if (socket != null) {
							target.open.add(socket);
							synchronized (handshake) {
								Latencies.record(handshake, began, now);
							}
							lastLive.accumulateAndGet(now, Math::max);
						}
						else {
							failures.incrementAndGet();
							firstError.compareAndSet(null, String.valueOf(error));
						}
						permits.release();
					});
			}
			if (!permits.tryAcquire(this.connectConcurrency, this.connectTimeoutSeconds, TimeUnit.SECONDS)) {
				log.println("w3: not every handshake ended within --connect-timeout");
			}
			int opened = targets.stream().mapToInt((target) -> target.open.size()).sum();
			long benchCpu = benchCpuNanos() - benchCpuBefore;
			for (Target target : targets) {
				target.connectCpuAfter = (target.process != null) ? target.process.cpuSeconds() : -1;
			}
			double connectSeconds = Math.max(1, lastLive.get() - start) / 1e9;
			log.printf("w3: %d open in %.1f s (%.0f /s); holding them for %d s%n", opened, connectSeconds,
					opened / connectSeconds, this.holdSeconds);
			long holdStart = System.nanoTime();
			for (Target target : targets) {
				target.cpuBefore = (target.process != null) ? target.process.cpuSeconds() : -1;
			}
			Thread.sleep(TimeUnit.SECONDS.toMillis(this.holdSeconds));
			double held = (System.nanoTime() - holdStart) / 1e9;
			for (Target target : targets) {
				target.cpuAfter = (target.process != null) ? target.process.cpuSeconds() : -1;
			}

			Map<Integer, Integer> closes = new TreeMap<>();
			int stillOpen = 0;
			for (Target target : targets) {
				for (NettySocket socket : target.open) {
					if (socket.isOpen()) {
						target.stillOpen++;
					}
					else {
						closes.merge(socket.closed().getNow(-1), 1, Integer::sum);
					}
				}
				stillOpen += target.stillOpen;
				target.after = (target.process != null) ? target.process.measure() : null;
				target.directAfter = prometheusDirect(stack, target.webSocket, metricsToken);
			}
			targets.forEach((target) -> target.open.forEach(NettySocket::abort));

			RunReport report = new RunReport("w3", "W3 idle connections")
				.parameter("connections", this.connections)
				.parameter("holdSeconds", this.holdSeconds)
				.parameter("connectConcurrency", this.connectConcurrency)
				.parameter("notifiers", notifiers.stream().map(URI::toString).toList())
				.parameter("client", "netty " + sockets.transport())
				.latency("connectMs", "handshake -> live frame", handshake)
				.figure("opened", "connections opened (live)", opened, "")
				.figure("failed", "connections failed", failures.get(), "")
				.figure("connectsPerSecond", "connect rate", Math.round(opened / connectSeconds * 10) / 10.0, "connections/s")
				.figure("benchConnectCpuMicrosPerConnection", "bench CPU per connection while connecting",
						(opened > 0) ? benchCpu / 1000 / opened : null, "us")
				.figure("connectSeconds", "first handshake to last live frame", Math.round(connectSeconds * 100) / 100.0, "s")
				.figure("stillOpen", "still open after " + this.holdSeconds + " s", stillOpen, "")
				.figure("closedByServer", "closed during the hold (code: count)", closes.isEmpty() ? 0 : closes.toString(), "");
			boolean several = targets.size() > 1;
			List<Map<String, Object>> perNotifier = new ArrayList<>();
			for (Target target : targets) {
				perNotifier.add(target.report(report, several, held));
			}
			if (several) {
				report.data("perNotifier", perNotifier);
			}
			report.note("heap: jcmd GC.run then GC.heap_info; RSS: /proc/<pid>/status VmRSS; direct: the notifier's "
					+ "jvm_buffer_memory_used_bytes{id=\"direct\"} (Prometheus, scope metrics), which does not see Netty's "
					+ "pooled buffers allocated without a cleaner; NMT Other (when on) counts those too; idle CPU: "
					+ "utime+stime from /proc/<pid>/stat over the hold, in % of one core");
			if (firstError.get() != null) {
				report.note("first failed connection: " + firstError.get());
			}
			return report;
		}
	}

	/** Refuses more sockets than this process may open (one file each, plus some spare). */
	public static void checkOpenFiles(long sockets) {
		long maxFiles = maxOpenFiles();
		if (maxFiles > 0 && sockets + SPARE_FILES > maxFiles) {
			throw new IllegalArgumentException(sockets + " sockets need more than this process's " + maxFiles
					+ " open files (one per socket, plus about " + SPARE_FILES + "); raise ulimit -n, open fewer, "
					+ "or run several bench processes (docs/performance.md)");
		}
	}

	/** One notifier: its sockets, its process (when found on this machine) and its figures. */
	private static final class Target {

		final URI webSocket;

		final @Nullable NotifierProcess process;

		final NotifierProcess.@Nullable Footprint before;

		final @Nullable Long directBefore;

		final Queue<NettySocket> open = new ConcurrentLinkedQueue<>();

		int stillOpen;

		double cpuBefore = -1;

		double connectCpuBefore = -1;

		double connectCpuAfter = -1;

		double cpuAfter = -1;

		NotifierProcess.@Nullable Footprint after;

		@Nullable Long directAfter;

		Target(URI webSocket, @Nullable NotifierProcess process, NotifierProcess.@Nullable Footprint before,
				@Nullable Long directBefore) {
			this.webSocket = webSocket;
			this.process = process;
			this.before = before;
			this.directBefore = directBefore;
		}

		/** Adds this notifier's figures (keys suffixed with {@code @<port>} when there are several). */
		Map<String, Object> report(RunReport report, boolean several, double heldSeconds) {
			String port = Integer.toString((this.webSocket.getPort() > 0) ? this.webSocket.getPort() : 80);
			String key = several ? "@" + port : "";
			String label = several ? "notifier :" + port + " " : "notifier ";
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("webSocket", this.webSocket.toString());
			figures.put("opened", this.open.size());
			figures.put("stillOpen", this.stillOpen);
			if (several) {
				report.figure("stillOpen" + key, label + "connections still open", this.stillOpen, "");
			}
			if (this.process != null && this.before != null && this.after != null) {
				figures.put("pid", this.process.pid());
				figures.put("heapBytesPerConnection", perConnection(report, "heapBytesPerConnection" + key,
						label + "heap per connection (after full GC)", this.before.heapUsed(), this.after.heapUsed(),
						this.stillOpen));
				figures.put("rssBytesPerConnection", perConnection(report, "rssBytesPerConnection" + key,
						label + "RSS per connection", this.before.rss(), this.after.rss(), this.stillOpen));
				figures.put("nmtOtherBytesPerConnection", perConnection(report, "nmtOtherBytesPerConnection" + key,
						label + "NMT Other per connection", this.before.nmtOther(), this.after.nmtOther(), this.stillOpen));
				report.figure("heapBefore" + key, label + "heap before / after",
						mib(this.before.heapUsed()) + " / " + mib(this.after.heapUsed()), "MiB")
					.figure("rssBefore" + key, label + "RSS before / after", mib(this.before.rss()) + " / " + mib(this.after.rss()),
							"MiB");
				Double cpu = (this.cpuBefore >= 0 && this.cpuAfter >= 0)
						? Math.round((this.cpuAfter - this.cpuBefore) / heldSeconds * 1000) / 10.0 : null;
				figures.put("idleCpuPercent", cpu);
				Long connectCpu = (this.connectCpuBefore >= 0 && this.connectCpuAfter >= 0 && !this.open.isEmpty())
						? Math.round((this.connectCpuAfter - this.connectCpuBefore) * 1e6 / this.open.size()) : null;
				figures.put("connectCpuMicrosPerConnection", connectCpu);
				report.figure("connectCpuMicrosPerConnection" + key, label + "CPU per connection while connecting",
						connectCpu, "us");
				report.figure("idleCpuPercent" + key, label + "CPU during the hold", cpu, "% of one core");
				if (this.before.nmtOther() == null) {
					report.note("native memory tracking is off in notifier :" + port + ": no NMT figure "
							+ "(start the stack with JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary to get one)");
				}
			}
			else {
				report.note("no single notifier-service-*.jar process with --server.port=" + port
						+ " (or the default 8090) on this machine: no memory or CPU figures for " + this.webSocket);
			}
			figures.put("directBytesPerConnection", perConnection(report, "directBytesPerConnection" + key,
					label + "direct buffers per connection", this.directBefore, this.directAfter, this.stillOpen));
			return figures;
		}

	}

	private static @Nullable Long perConnection(RunReport report, String key, String label, @Nullable Long before,
			@Nullable Long after, int connections) {
		Long value = (before != null && after != null && connections > 0) ? (after - before) / connections : null;
		report.figure(key, label, value, "bytes");
		return value;
	}

	private static String mib(@Nullable Long bytes) {
		return (bytes != null) ? String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024)) : "n/a";
	}

	/** A notifier's direct buffer pool, from its Prometheus endpoint. */
	private static @Nullable Long prometheusDirect(InloopStack stack, URI webSocket, String token) {
		try {
			String body = stack.get(URI.create(InloopStack.notifierHttp(webSocket) + "/actuator/prometheus"), token)
				.get(30, TimeUnit.SECONDS);
			if (body == null) {
				return null;
			}
			for (String line : body.split("\n")) {
				if (line.startsWith("jvm_buffer_memory_used_bytes{") && line.contains("id=\"direct\"")) {
					return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				}
			}
			return null;
		}
		catch (Exception ex) {
			return null;
		}
	}

	private static long maxOpenFiles() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
			return unix.getMaxFileDescriptorCount();
		}
		return -1;
	}


	/** CPU time of this process so far (every thread), in nanoseconds. */
	private static long benchCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return 0;
	}

}
