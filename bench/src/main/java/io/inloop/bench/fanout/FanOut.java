package io.inloop.bench.fanout;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.client.NettySocket;
import io.inloop.bench.client.NettySockets;
import io.inloop.bench.connections.IdleConnections;
import io.inloop.bench.connections.NotifierProcess;
import io.inloop.bench.report.Latencies;
import io.inloop.bench.report.LatencyPlot;
import org.HdrHistogram.Histogram;
import io.inloop.bench.report.RunReport;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * W4: U users connected, each with one running job; a synthetic producer writes those jobs'
 * status records straight to {@code inloop.job-status} (as workers do, keyed by owner) at a set
 * rate, each to a random user's job with the next sequence. Frames per second at the clients,
 * push lag (record timestamp to frame received) and loss; with {@code --slow}, extra users that
 * never read, fed faster over many jobs, which the notifier must merge or close with 4008 without
 * delaying the others.
 */
@Command(name = "w4", mixinStandardHelpOptions = true,
		description = "Fan-out: U users connected, status records written to Kafka at a set rate for their running jobs; frames/s, push lag, loss, slow clients.")
public final class FanOut extends Workload {

	@Option(names = "--users", defaultValue = "10000", paramLabel = "<count>", description = "Users, each with a token, a WebSocket and one running job (default: ${DEFAULT-VALUE}).")
	int users;

	@Option(names = "--rate", defaultValue = "30000", paramLabel = "<frames/s>", description = "Records per second for the users' jobs, i.e. frames/s they should get (default: ${DEFAULT-VALUE}).")
	int rate;

	@Option(names = "--duration", defaultValue = "30", paramLabel = "<seconds>", description = "How long to write at that rate (default: ${DEFAULT-VALUE}).")
	int durationSeconds;

	@Option(names = "--warmup", defaultValue = "5", paramLabel = "<seconds>", description = "First seconds whose frames count in loss but not in lag (default: ${DEFAULT-VALUE}).")
	int warmupSeconds;

	@Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "<host:port>", description = "Kafka (default: ${DEFAULT-VALUE}).")
	String bootstrap;

	@Option(names = "--linger-ms", defaultValue = "5", paramLabel = "<ms>", description = "The producer's linger.ms (default: ${DEFAULT-VALUE}).")
	int lingerMs;

	@Option(names = "--slow", defaultValue = "0", paramLabel = "<count>", description = "Extra users whose sockets never read after their live frame (default: ${DEFAULT-VALUE}).")
	int slow;

	@Option(names = "--slow-jobs", defaultValue = "100", paramLabel = "<count>",
			description = "Running jobs of each slow user; more than the notifier's queue (64) so that merging alone cannot keep up (default: ${DEFAULT-VALUE}).")
	int slowJobs;

	@Option(names = "--slow-rate", defaultValue = "500", paramLabel = "<frames/s>",
			description = "Records per second for each slow user, round-robin over its jobs, on top of --rate (default: ${DEFAULT-VALUE}).")
	int slowRate;

	@Option(names = "--slow-message-bytes", defaultValue = "2000", paramLabel = "<bytes>",
			description = "Length of the message of each slow user's record, so that the kernel's buffers (megabytes on loopback) fill within seconds (default: ${DEFAULT-VALUE}).")
	int slowMessageBytes;

	@Option(names = "--plot", defaultValue = ".inloop/bench/w4-lag.svg", paramLabel = "<file.svg>",
			description = "Where to draw the push lag and acknowledgement distributions (default: ${DEFAULT-VALUE}).")
	Path plot;

	@Option(names = "--drain", defaultValue = "15", paramLabel = "<seconds>",
			description = "How long after the last record to wait for the reading users' terminal frames (default: ${DEFAULT-VALUE}).")
	int drainSeconds;

	@Option(names = "--connect-concurrency", defaultValue = "500", paramLabel = "<count>", description = "Handshakes in flight at most (default: ${DEFAULT-VALUE}).")
	int connectConcurrency;

	@Option(names = "--io-threads", defaultValue = "2", paramLabel = "<count>", description = "Netty event loop threads of the bench's WebSocket client (default: ${DEFAULT-VALUE}).")
	int ioThreads;

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		IdleConnections.checkOpenFiles(this.users + this.slow);
		List<URI> notifiers = this.stack.webSockets;
		String run = Long.toString(System.currentTimeMillis(), 36);
		List<String> owners = new ArrayList<>(this.users + this.slow);
		for (int i = 0; i < this.users + this.slow; i++) {
			owners.add("bench-w4-" + run + ((i < this.users) ? "-" : "-slow-") + i);
		}
		log.printf("w4: minting %d tokens%n", owners.size());
		List<String> tokens = stack.mintTokens(owners, 50);

		FanOutAccounting accounting = new FanOutAccounting(System.nanoTime(),
				TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()), 0);
		List<FanOutAccounting.Job> fastJobs = new ArrayList<>(this.users);
		List<FanOutAccounting.Job> slowJobList = new ArrayList<>(this.slow * this.slowJobs);
		Map<FanOutAccounting.Job, String> ownerOf = new ConcurrentHashMap<>();

		try (NettySockets sockets = new NettySockets(this.ioThreads, stack.json())) {
			log.printf("w4: opening %d WebSockets (%d that never read) over %d notifier(s) (netty %s)%n", owners.size(),
					this.slow, notifiers.size(), sockets.transport());
			// Frames are counted only once the clock for lag is set (below); before that no job has a record.
			FanOutAccounting[] current = { accounting };
			List<NettySocket> fastSockets = new ArrayList<>();
			List<NettySocket> slowSockets = new ArrayList<>();
			List<CompletableFuture<NettySocket>> opening = new ArrayList<>(owners.size());
			Semaphore permits = new Semaphore(this.connectConcurrency);
			AtomicReference<String> firstError = new AtomicReference<>();
			for (int i = 0; i < owners.size(); i++) {
				boolean reading = i < this.users;
				permits.acquire();
				CompletableFuture<NettySocket> socket = sockets
					.open(notifiers.get(i % notifiers.size()), tokens.get(i), (frame) -> current[0].received(frame), reading)
					.thenCompose((open) -> open.live().thenApply((live) -> open))
					.orTimeout(60, TimeUnit.SECONDS)
					.whenComplete((open, error) -> {
						if (error != null) {
							firstError.compareAndSet(null, String.valueOf(error));
						}
						permits.release();
					});
				opening.add(socket);
			}
			permits.acquire(this.connectConcurrency);
			int failedSockets = 0;
			for (int i = 0; i < opening.size(); i++) {
				NettySocket socket = opening.get(i).exceptionally((error) -> null).join();
				if (socket == null) {
					failedSockets++;
					continue;
				}
				(i < this.users ? fastSockets : slowSockets).add(socket);
			}
			if (failedSockets > 0) {
				log.printf("w4: %d sockets did not open (first: %s); going on without them%n", failedSockets, firstError.get());
			}

			long base = System.nanoTime();
			long baseMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
			long warmupEnd = Math.floorDiv(baseMicros, 1000) + TimeUnit.SECONDS.toMillis(this.warmupSeconds);
			accounting = new FanOutAccounting(base, baseMicros, warmupEnd);
			for (int i = 0; i < this.users; i++) {
				FanOutAccounting.Job job = accounting.register(UUID.randomUUID().toString(), false);
				fastJobs.add(job);
				ownerOf.put(job, owners.get(i));
			}
			for (int i = 0; i < this.slow; i++) {
				for (int j = 0; j < this.slowJobs; j++) {
					FanOutAccounting.Job job = accounting.register(UUID.randomUUID().toString(), true);
					slowJobList.add(job);
					ownerOf.put(job, owners.get(this.users + i));
				}
			}
			current[0] = accounting;

			Properties config = new Properties();
			config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrap);
			config.put(ProducerConfig.ACKS_CONFIG, "all");
			config.put(ProducerConfig.LINGER_MS_CONFIG, this.lingerMs);
			config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
			config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-w4-" + run);
			LongAdder failedSends = new LongAdder();
			AtomicReference<String> firstSendError = new AtomicReference<>();
			long sentFast;
			long sentSlow;
			double sendSeconds;
			long lastSend;
			long sendStart;
			double benchCpu;
			Map<Integer, Double> notifierCpu = new TreeMap<>();
			// How long the broker took to take each record: the part of the push lag before the notifier.
			Histogram acknowledged = Latencies.histogram();
			log.printf("w4: writing %d records/s for %d users%s for %d s to %s%n", this.rate, fastJobs.size(),
					(this.slow > 0) ? " and " + (this.slow * this.slowRate) + "/s for " + this.slow + " slow users" : "",
					this.durationSeconds, Topics.JOB_STATUS);
			try (KafkaProducer<String, JobStatusChanged> producer = new KafkaProducer<>(config, new StringSerializer(),
					new AvroSerializer<>(JobStatusChanged.class))) {
				Instant submitted = Instant.now();
				Sender sender = new Sender(producer, accounting, ownerOf, submitted, "x".repeat(Math.max(0, this.slowMessageBytes)),
						failedSends, firstSendError, acknowledged);
				List<NotifierProcess> processes = notifierProcesses(notifiers);
				double[] notifierCpuBefore = processes.stream().mapToDouble(NotifierProcess::cpuSeconds).toArray();
				double benchCpuBefore = benchCpuSeconds();
				long start = System.nanoTime();
				sendStart = start;
				long end = start + TimeUnit.SECONDS.toNanos(this.durationSeconds);
				long fast = 0;
				long slowSent = 0;
				int slowNext = 0;
				double slowTotalRate = (double) this.slow * this.slowRate;
				ThreadLocalRandom random = ThreadLocalRandom.current();
				long now;
				while ((now = System.nanoTime()) < end) {
					double elapsed = (now - start) / 1e9;
					long fastDue = (long) (elapsed * this.rate);
					while (fast < fastDue && !fastJobs.isEmpty()) {
						sender.send(fastJobs.get(random.nextInt(fastJobs.size())), false);
						fast++;
					}
					long slowDue = (long) (elapsed * slowTotalRate);
					while (slowSent < slowDue && !slowJobList.isEmpty()) {
						// Round-robin over each slow user's jobs: consecutive records of one user are of different jobs.
						int user = slowNext % this.slow;
						int jobOfUser = (slowNext / this.slow) % this.slowJobs;
						sender.send(slowJobList.get(user * this.slowJobs + jobOfUser), false);
						slowNext++;
						slowSent++;
					}
					LockSupport.parkNanos(500_000);
				}
				lastSend = System.nanoTime();
				sendSeconds = (lastSend - start) / 1e9;
				benchCpu = (benchCpuSeconds() - benchCpuBefore) / sendSeconds * 100;
				for (int i = 0; i < processes.size(); i++) {
					notifierCpu.put(processes.get(i).port(), Math.round(
							(processes.get(i).cpuSeconds() - notifierCpuBefore[i]) / sendSeconds * 1000) / 10.0);
				}
				sentFast = fast;
				sentSlow = slowSent;
				log.printf("w4: sent %d + %d records in %.1f s; ending every job (SUCCEEDED)%n", fast, slowSent, sendSeconds);
				for (FanOutAccounting.Job job : fastJobs) {
					sender.send(job, true);
				}
				for (FanOutAccounting.Job job : slowJobList) {
					sender.send(job, true);
				}
				producer.flush();
			}
			long flushed = System.nanoTime();
			long deadline = flushed + TimeUnit.SECONDS.toNanos(this.drainSeconds);
			while (System.nanoTime() < deadline && !fastJobs.stream().allMatch(FanOutAccounting.Job::terminalReceived)) {
				Thread.sleep(50);
			}
			FanOutAccounting.Tally fastTally = accounting.tally(false);
			Map<Integer, Integer> fastCloses = closes(fastSockets);

			// The slow clients read again: what the kernel held, then the notifier's close frame if it sent one.
			Map<Integer, Integer> slowClosesBefore = closes(slowSockets);
			slowSockets.forEach(NettySocket::resumeReading);
			long slowDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (System.nanoTime() < slowDeadline
					&& !slowJobList.stream().allMatch((job) -> job.terminalReceived() || closedAll(slowSockets))) {
				Thread.sleep(50);
			}
			FanOutAccounting.Tally slowTally = accounting.tally(true);
			Map<Integer, Integer> slowCloses = closes(slowSockets);
			fastSockets.forEach(NettySocket::abort);
			slowSockets.forEach(NettySocket::abort);

			// Seconds counted from the base, which is a moment before the first record.
			int sendOffset = (int) Math.ceil((sendStart - base) / 1e9);
			int steadyFrom = sendOffset + Math.min(this.warmupSeconds, Math.max(0, this.durationSeconds - 1));
			int steadyTo = sendOffset + (int) Math.floor(sendSeconds) - 1;
			if (steadyTo <= steadyFrom) {
				steadyTo = steadyFrom + 1;
			}
			RunReport report = new RunReport("w4", "W4 fan-out")
				.parameter("users", this.users)
				.parameter("rate", this.rate)
				.parameter("durationSeconds", this.durationSeconds)
				.parameter("warmupSeconds", this.warmupSeconds)
				.parameter("slow", this.slow)
				.parameter("notifiers", notifiers.stream().map(URI::toString).toList())
				.parameter("lingerMs", this.lingerMs)
				.parameter("client", "netty " + sockets.transport());
			if (this.slow > 0) {
				report.parameter("slowJobs", this.slowJobs)
					.parameter("slowRate", this.slowRate)
					.parameter("slowMessageBytes", this.slowMessageBytes);
			}
			new LatencyPlot("W4 fan-out, " + fastJobs.size() + " users, " + this.rate + " records/s")
				.add("record timestamp → frame received", accounting.fastLag())
				.add("send → acknowledged by Kafka", acknowledged)
				.write(this.plot);
			report.figure("plot", "plot", this.plot.toString(), "");
			report.latency("pushLagMs", "push lag, record timestamp -> frame (reading users)", accounting.fastLag())
				.latency("ackMs", "of which: send -> acknowledged by Kafka", acknowledged)
				.figure("sendRate", "records written per second (reading users)", round(sentFast / sendSeconds), "records/s")
				.figure("framesPerSecond", "frames received per second (reading users, first record to last frame)",
						round(fastTally.frames() / (Math.max(1, accounting.lastReceivedNanos() - sendStart) / 1e9)), "frames/s")
				.figure("framesPerSecondSteady", "  in whole seconds " + steadyFrom + "-" + steadyTo + " of sending",
						round(accounting.fastRate(steadyFrom, steadyTo)), "frames/s")
				.figure("lastFrameSeconds", "last frame after the last record", round((accounting.lastReceivedNanos() - lastSend) / 1e9), "s")
				.figure("benchCpuPercent", "bench CPU while sending", round(benchCpu), "% of one core")
				.figure("notifierCpuPercent", "notifier CPU while sending (port: %)", notifierCpu.isEmpty() ? null : notifierCpu.toString(), "% of one core")
				.figure("sent", "records sent (reading users, with terminal)", fastTally.sent(), "")
				.figure("frames", "frames received (reading users)", fastTally.frames(), "")
				.figure("lost", "frames lost or merged (reading users)", fastTally.lost(), "")
				.figure("gaps", "  of which gaps between frames", fastTally.gaps(), "")
				.figure("stale", "frames duplicated or out of order", fastTally.stale(), "")
				.figure("terminalsMissing", "jobs without their terminal frame", fastTally.terminalsMissing(), "")
				.figure("socketsOpened", "sockets opened (reading / slow)", fastSockets.size() + " / " + slowSockets.size(), "")
				.figure("socketsFailed", "sockets that did not open", failedSockets, "")
				.figure("socketsClosed", "reading sockets closed by the server (code: count)",
						fastCloses.isEmpty() ? 0 : fastCloses.toString(), "")
				.figure("sendFailures", "records Kafka did not acknowledge", failedSends.sum(), "")
				.figure("foreignFrames", "frames of other jobs", accounting.foreignFrames(), "");
			if (this.slow > 0) {
				report.latency("slowPushLagMs", "push lag of what the slow users got (after reading)", accounting.slowLag())
					.figure("slowSent", "records sent (slow users, with terminal)", slowTally.sent(), "")
					.figure("slowFrames", "frames the slow users got (after reading again)", slowTally.frames(), "")
					.figure("slowLost", "frames lost or merged (slow users)", slowTally.lost(), "")
					.figure("slowClosedDuringRun", "slow sockets seen closed before reading again (code: count)",
							slowClosesBefore.isEmpty() ? 0 : slowClosesBefore.toString(), "")
					.figure("slowClosed", "slow sockets closed in the end (code: count)",
							slowCloses.isEmpty() ? 0 : slowCloses.toString(), "")
					.figure("slowSentRate", "records written per second (slow users)", round(sentSlow / sendSeconds),
							"records/s");
			}
			report.note("push lag: the record's updatedAt (= its Kafka CreateTime, ms resolution, so up to 1 ms too long) to "
					+ "the frame's arrival, one clock; the first " + this.warmupSeconds + " s of records are not in it");
			report.note("lost = records sent whose frame did not arrive: merged by the notifier for a connection behind, or lost; "
					+ "every job ends with a SUCCEEDED record, so frames after the last one received count too");
			if (firstSendError.get() != null) {
				report.note("first failed send: " + firstSendError.get());
			}
			if (firstError.get() != null) {
				report.note("first socket that did not open: " + firstError.get());
			}
			return report;
		}
	}

	private static List<NotifierProcess> notifierProcesses(List<URI> notifiers) {
		List<NotifierProcess> all = NotifierProcess.findAll();
		List<NotifierProcess> found = new ArrayList<>();
		for (URI notifier : notifiers) {
			NotifierProcess.find(all, (notifier.getPort() > 0) ? notifier.getPort() : 80).ifPresent(found::add);
		}
		return found;
	}

	private static double benchCpuSeconds() {
		if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime() / 1e9;
		}
		return Double.NaN;
	}

	private static boolean closedAll(List<NettySocket> sockets) {
		return sockets.stream().allMatch((socket) -> socket.closed().isDone());
	}

	private static Map<Integer, Integer> closes(List<NettySocket> sockets) {
		Map<Integer, Integer> closes = new TreeMap<>();
		for (NettySocket socket : sockets) {
			if (socket.closed().isDone()) {
				closes.merge(socket.closed().join(), 1, Integer::sum);
			}
		}
		return closes;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	/** Writes a job's next record as a worker would: keyed by owner, one attempt, the next sequence. */
	private static final class Sender {

		private final KafkaProducer<String, JobStatusChanged> producer;

		private final FanOutAccounting accounting;

		private final Map<FanOutAccounting.Job, String> owners;

		private final Instant submitted;

		private final String slowPadding;

		private final LongAdder failures;

		private final AtomicReference<String> firstError;

		private final Histogram acknowledged;

		Sender(KafkaProducer<String, JobStatusChanged> producer, FanOutAccounting accounting,
				Map<FanOutAccounting.Job, String> owners, Instant submitted, String slowPadding, LongAdder failures,
				AtomicReference<String> firstError, Histogram acknowledged) {
			this.acknowledged = acknowledged;
			this.slowPadding = slowPadding;
			this.producer = producer;
			this.accounting = accounting;
			this.owners = owners;
			this.submitted = submitted;
			this.failures = failures;
			this.firstError = firstError;
		}

		void send(FanOutAccounting.Job job, boolean terminal) {
			String owner = this.owners.get(job);
			int sequence = job.send(terminal);
			long sentNanos = System.nanoTime();
			long now = this.accounting.epochMillis(sentNanos);
			Instant updatedAt = Instant.ofEpochMilli(now);
			JobStatusChanged record = new JobStatusChanged();
			record.setJobId(job.id());
			record.setOwner(owner);
			record.setType("bench.fanout");
			record.setState(terminal ? JobState.SUCCEEDED : JobState.RUNNING);
			record.setProgress(new JobProgress((long) sequence, 0L));
			record.setMessage(terminal ? "done" : job.slow() ? this.slowPadding : "step " + sequence);
			record.setAttempt(1);
			record.setSequence(sequence);
			record.setSubmittedAt(this.submitted);
			record.setUpdatedAt(updatedAt);
			record.setStartedAt(this.submitted);
			if (terminal) {
				record.setFinishedAt(updatedAt);
			}
			this.producer.send(new ProducerRecord<>(Topics.JOB_STATUS, null, now, owner, record), (metadata, error) -> {
				if (error != null) {
					this.failures.increment();
					this.firstError.compareAndSet(null, String.valueOf(error));
				}
				else {
					synchronized (this.acknowledged) {
						Latencies.record(this.acknowledged, sentNanos, System.nanoTime());
					}
				}
			});
		}

	}

}
