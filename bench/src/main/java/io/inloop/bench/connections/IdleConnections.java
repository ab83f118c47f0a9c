package io.inloop.bench.connections;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
import io.inloop.bench.client.JobSocket;
import io.inloop.bench.report.Latencies;
import io.inloop.bench.report.RunReport;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * W3: M idle WebSockets, each of its own user: how fast they open, how many are still open after
 * a while, and the notifier's memory per connection.
 */
@Command(name = "w3", mixinStandardHelpOptions = true,
		description = "Idle connections: open M WebSockets (a user each), hold them, measure the notifier's memory per connection.")
public final class IdleConnections extends Workload {

	/** File descriptors the bench keeps for itself besides the sockets: jars, HTTP connections, pipes. */
	private static final long SPARE_FILES = 300;

	@Option(names = "--connections", defaultValue = "5000", paramLabel = "<count>", description = "WebSockets to open (default: ${DEFAULT-VALUE}).")
	int connections;

	@Option(names = "--hold", defaultValue = "30", paramLabel = "<seconds>", description = "How long to hold them open (default: ${DEFAULT-VALUE}).")
	int holdSeconds;

	@Option(names = "--connect-concurrency", defaultValue = "100", paramLabel = "<count>",
			description = "Handshakes in flight at most (default: ${DEFAULT-VALUE}).")
	int connectConcurrency;

	@Option(names = "--connect-timeout", defaultValue = "300", paramLabel = "<seconds>",
			description = "How long opening all of them may take (default: ${DEFAULT-VALUE}).")
	int connectTimeoutSeconds;

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		long maxFiles = maxOpenFiles();
		if (maxFiles > 0 && this.connections + SPARE_FILES > maxFiles) {
			throw new IllegalArgumentException("--connections " + this.connections + " needs more than this process's "
					+ maxFiles + " open files (one per socket, plus about " + SPARE_FILES + "); raise ulimit -n or open fewer");
		}
		String run = Long.toString(System.currentTimeMillis(), 36);
		List<String> users = new ArrayList<>(this.connections);
		for (int i = 0; i < this.connections; i++) {
			users.add("bench-w3-" + run + "-" + i);
		}
		log.printf("w3: minting %d tokens%n", this.connections);
		List<String> tokens = stack.mintTokens(users, 50);
		String metricsToken = stack.mintToken("bench-w3-" + run + "-metrics", List.of("metrics")).join();

		Optional<NotifierProcess> notifier = NotifierProcess.find();
		NotifierProcess.Footprint before = (notifier.isPresent()) ? notifier.get().measure() : null;
		Long directBefore = prometheusDirect(stack, metricsToken);

		log.printf("w3: opening %d WebSockets, at most %d handshakes at a time%n", this.connections, this.connectConcurrency);
		Queue<JobSocket> open = new ConcurrentLinkedQueue<>();
		Histogram handshake = Latencies.histogram();
		AtomicLong failures = new AtomicLong();
		AtomicReference<String> firstError = new AtomicReference<>();
		AtomicLong lastLive = new AtomicLong();
		Semaphore permits = new Semaphore(this.connectConcurrency);
		long start = System.nanoTime();
		for (String token : tokens) {
			permits.acquire();
			long began = System.nanoTime();
			stack.openSocket(token, (frame) -> {
			}).thenCompose((socket) -> socket.live().thenApply((live) -> socket)).whenComplete((socket, error) -> {
				long now = System.nanoTime();
				if (socket != null) {
					open.add(socket);
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
		int opened = open.size();
		double connectSeconds = Math.max(1, lastLive.get() - start) / 1e9;
		log.printf("w3: %d open in %.1f s; holding them for %d s%n", opened, connectSeconds, this.holdSeconds);
		Thread.sleep(TimeUnit.SECONDS.toMillis(this.holdSeconds));

		Map<Integer, Integer> closes = new TreeMap<>();
		int stillOpen = 0;
		for (JobSocket socket : open) {
			if (socket.isOpen()) {
				stillOpen++;
			}
			else {
				closes.merge(socket.closed().join(), 1, Integer::sum);
			}
		}
		NotifierProcess.Footprint after = (notifier.isPresent()) ? notifier.get().measure() : null;
		Long directAfter = prometheusDirect(stack, metricsToken);
		open.forEach(JobSocket::abort);

		RunReport report = new RunReport("w3", "W3 idle connections")
			.parameter("connections", this.connections)
			.parameter("holdSeconds", this.holdSeconds)
			.parameter("connectConcurrency", this.connectConcurrency)
			.latency("connectMs", "handshake -> live frame", handshake)
			.figure("opened", "connections opened (live)", opened, "")
			.figure("failed", "connections failed", failures.get(), "")
			.figure("connectsPerSecond", "connect rate", Math.round(opened / connectSeconds * 10) / 10.0, "connections/s")
			.figure("stillOpen", "still open after " + this.holdSeconds + " s", stillOpen, "")
			.figure("closedByServer", "closed during the hold (code: count)", closes.isEmpty() ? 0 : closes.toString(), "");
		if (notifier.isPresent() && before != null && after != null) {
			report.parameter("notifierPid", notifier.get().pid());
			perConnection(report, "heapBytesPerConnection", "notifier heap per connection (after full GC)", before.heapUsed(),
					after.heapUsed(), stillOpen);
			perConnection(report, "rssBytesPerConnection", "notifier RSS per connection", before.rss(), after.rss(), stillOpen);
			perConnection(report, "nmtOtherBytesPerConnection", "notifier NMT Other per connection", before.nmtOther(),
					after.nmtOther(), stillOpen);
			report.figure("heapBefore", "notifier heap before / after", mib(before.heapUsed()) + " / " + mib(after.heapUsed()), "MiB")
				.figure("rssBefore", "notifier RSS before / after", mib(before.rss()) + " / " + mib(after.rss()), "MiB");
			if (before.nmtOther() == null) {
				report.note("native memory tracking is off in the notifier: no NMT figure "
						+ "(start the stack with JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary to get one)");
			}
		}
		else {
			report.note("no single notifier-service-*.jar process found on this machine: no memory figures");
		}
		perConnection(report, "directBytesPerConnection", "notifier direct buffers per connection", directBefore,
				directAfter, stillOpen);
		report.note("heap: jcmd GC.run then GC.heap_info; RSS: /proc/<pid>/status VmRSS; direct: the notifier's "
				+ "jvm_buffer_memory_used_bytes{id=\"direct\"} (Prometheus, scope metrics), which does not see Netty's "
				+ "pooled buffers allocated without a cleaner; NMT Other (when on) counts those too");
		if (firstError.get() != null) {
			report.note("first failed connection: " + firstError.get());
		}
		return report;
	}

	private static void perConnection(RunReport report, String key, String label, @Nullable Long before,
			@Nullable Long after, int connections) {
		Object value = (before != null && after != null && connections > 0) ? (after - before) / connections : null;
		report.figure(key, label, value, "bytes");
	}

	private static String mib(@Nullable Long bytes) {
		return (bytes != null) ? String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024)) : "n/a";
	}

	/** The notifier's direct buffer pool, from its Prometheus endpoint. */
	private static @Nullable Long prometheusDirect(InloopStack stack, String token) {
		try {
			String body = stack.get(URI.create(stack.notifierHttp() + "/actuator/prometheus"), token).get(30, TimeUnit.SECONDS);
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

}
