package io.inloop.bench.startup;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.inloop.bench.Workload;
import io.inloop.bench.client.InloopStack;
import io.inloop.bench.report.CannotRun;
import io.inloop.bench.report.RunReport;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A notifier's start against a long history: writes {@code --history} status records of finished
 * jobs (timestamps spread over the last {@code --span}) to the running stack's status topic, waits
 * until the ledger has read them all (so {@code inloop.open-jobs} is current), then starts a
 * notifier of its own from its jar, twice: as it starts (the jobs under way, then the tail), and
 * told to read the whole horizon as notifiers did before ({@code feed.tail} unbounded); times each
 * until it answers ready.
 */
@Command(name = "notifier-start", mixinStandardHelpOptions = true,
		description = { "A notifier's start after a long history: writes --history finished jobs' status records, waits for the ledger,",
				"then times a new notifier (from notifier-service/target) until ready, as it starts and reading the whole horizon." })
public final class NotifierStart extends Workload {

	private static final String LEDGER_GROUP = "inloop-api-ledger";

	@Option(names = "--history", defaultValue = "1000000", paramLabel = "<records>",
			description = "Status records to add before the starts (default: ${DEFAULT-VALUE}; 0: the topic as it is).")
	long history;

	@Option(names = "--span", defaultValue = "PT23H", paramLabel = "<duration>",
			description = "How far back their timestamps go, within the notifier's 24 h horizon (default: ${DEFAULT-VALUE}).")
	Duration span;

	@Option(names = "--ledger-timeout", defaultValue = "PT20M", paramLabel = "<duration>",
			description = "How long the ledger may take to read the added records (default: ${DEFAULT-VALUE}).")
	Duration ledgerTimeout;

	@Option(names = "--jar", defaultValue = "notifier-service/target/notifier-service-0.1.0-SNAPSHOT.jar", paramLabel = "<jar>",
			description = "The notifier to start (default: ${DEFAULT-VALUE}).")
	Path jar;

	@Option(names = "--public-key", defaultValue = ".inloop/jwt-public.pem", paramLabel = "<pem>",
			description = "The local stack's token key (default: ${DEFAULT-VALUE}).")
	Path publicKey;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	@Override
	protected RunReport run(InloopStack stack, PrintStream log) throws Exception {
		if (!Files.isRegularFile(this.jar) || !Files.isRegularFile(this.publicKey)) {
			throw new CannotRun("Needs " + this.jar + " and " + this.publicKey + ": build and start the stack (./inloop start) first");
		}
		try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.stack.kafka))) {
			if (this.history > 0) {
				long began = System.nanoTime();
				writeHistory(log);
				log.printf("notifier-start: wrote %,d status records in %.1f s%n", this.history, seconds(began));
				long waited = System.nanoTime();
				awaitLedger(admin);
				log.printf("notifier-start: the ledger read them in %.1f s%n", seconds(waited));
			}
			long records = recordsWithinHorizon(admin);
			long openJobs = records(admin, Topics.OPEN_JOBS);
			log.printf("notifier-start: %,d status records within the horizon, %,d records on %s%n", records, openJobs,
					Topics.OPEN_JOBS);
			double tail = timeStart(log, List.of());
			double whole = timeStart(log, List.of("--inloop.notifier.feed.tail=" + Integer.MAX_VALUE));
			return new RunReport("notifier-start", "A notifier's start after a long history")
				.parameter("history", this.history)
				.figure("statusRecords", "status records within the horizon", records, "")
				.figure("openJobsRecords", "records on " + Topics.OPEN_JOBS, openJobs, "")
				.figure("readyMs", "ready (open jobs, then the tail)", Math.round(tail * 1000), "ms")
				.figure("wholeHorizonReadyMs", "ready reading the whole horizon (as before)", Math.round(whole * 1000), "ms")
				.note(String.format(Locale.ROOT, "The start reads %.1fx faster than reading the whole horizon",
						whole / tail));
		}
	}

	/** Finished jobs of a thousand owners, each record stamped at its point of the span, oldest first. */
	private void writeHistory(PrintStream log) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.stack.kafka,
				ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
				ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.ACKS_CONFIG, "all");
		long now = System.currentTimeMillis();
		long from = now - this.span.toMillis();
		Instant submitted = Instant.ofEpochMilli(from);
		try (KafkaProducer<String, JobStatusChanged> producer = new KafkaProducer<>(config, new StringSerializer(),
				new AvroSerializer<>(JobStatusChanged.class))) {
			for (long i = 0; i < this.history; i++) {
				long at = from + (this.span.toMillis() * i) / this.history;
				String owner = "bench-history-" + (i % 1000);
				JobStatusChanged event = JobStatusChanged.newBuilder()
					.setJobId(String.format(Locale.ROOT, "bench-history-%012d", i))
					.setOwner(owner)
					.setType("demo.steps")
					.setState(JobState.SUCCEEDED)
					.setAttempt(1)
					.setSequence(1)
					.setProgress(JobProgress.newBuilder().setDone(1).setTotal(1).build())
					.setSubmittedAt(submitted)
					.setUpdatedAt(Instant.ofEpochMilli(at))
					.setFinishedAt(Instant.ofEpochMilli(at))
					.build();
				producer.send(new ProducerRecord<>(Topics.JOB_STATUS, null, at, owner, event));
				if (i > 0 && i % 1_000_000 == 0) {
					log.printf("notifier-start: %,d written%n", i);
				}
			}
			producer.flush();
		}
	}

	private void awaitLedger(Admin admin) throws Exception {
		long deadline = System.nanoTime() + this.ledgerTimeout.toNanos();
		Map<TopicPartition, Long> ends = ends(admin, Topics.JOB_STATUS);
		while (true) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(LEDGER_GROUP)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS);
			long behind = ends.entrySet().stream().mapToLong((end) -> {
				OffsetAndMetadata at = committed.get(end.getKey());
				return end.getValue() - ((at != null) ? at.offset() : 0);
			}).sum();
			if (behind <= 0) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new CannotRun("The ledger (" + LEDGER_GROUP + ") is still " + behind + " records behind after "
						+ this.ledgerTimeout + ": is api-service running?");
			}
			TimeUnit.SECONDS.sleep(1);
		}
	}

	/** Starts a notifier of its own with {@code arguments}, times it until ready, and stops it. */
	private double timeStart(PrintStream log, List<String> arguments) throws Exception {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
				"-jar", this.jar.toString(), "--server.port=" + port, "--spring.rsocket.server.port=" + freePort(),
				"--spring.kafka.bootstrap-servers=" + this.stack.kafka));
		command.addAll(arguments);
		Path logFile = Files.createTempFile("notifier-start-", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
		builder.environment().put("INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION", "file:" + this.publicKey.toAbsolutePath());
		long began = System.nanoTime();
		Process notifier = builder.start();
		try {
			HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(1))
				.build();
			while (!answersOk(ready)) {
				if (!notifier.isAlive()) {
					throw new CannotRun("The notifier exited before it was ready; its log is " + logFile);
				}
				if (seconds(began) > 600) {
					throw new CannotRun("The notifier was not ready within 600 s; its log is " + logFile);
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
			double took = seconds(began);
			String learnt = Files.readAllLines(logFile)
				.stream()
				.filter((line) -> line.contains("Learnt ") || line.contains("Reading ") && line.contains(Topics.JOB_STATUS))
				.map((line) -> line.substring(Math.max(0, line.indexOf(": ") + 2)))
				.collect(Collectors.joining("; "));
			log.printf(Locale.ROOT, "notifier-start: ready in %.2f s %s (%s)%n", took, arguments, learnt);
			return took;
		}
		finally {
			notifier.destroy();
			if (!notifier.waitFor(30, TimeUnit.SECONDS)) {
				notifier.destroyForcibly();
			}
		}
	}

	private boolean answersOk(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private long recordsWithinHorizon(Admin admin) throws Exception {
		Map<TopicPartition, Long> ends = ends(admin, Topics.JOB_STATUS);
		Map<TopicPartition, OffsetSpec> dayAgo = ends.keySet()
			.stream()
			.collect(Collectors.toMap((partition) -> partition,
					(partition) -> OffsetSpec.forTimestamp(System.currentTimeMillis() - Duration.ofHours(24).toMillis())));
		Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(dayAgo).all().get(30, TimeUnit.SECONDS);
		return ends.entrySet().stream().mapToLong((end) -> {
			long start = starts.get(end.getKey()).offset();
			return (start < 0) ? 0 : end.getValue() - start;
		}).sum();
	}

	private static long records(Admin admin, String topic) throws Exception {
		Map<TopicPartition, Long> ends = ends(admin, topic);
		Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(ends.keySet()
			.stream()
			.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.earliest()))).all().get(30, TimeUnit.SECONDS);
		return ends.entrySet().stream().mapToLong((end) -> end.getValue() - starts.get(end.getKey()).offset()).sum();
	}

	private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
		int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
		Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
		for (int partition = 0; partition < partitions; partition++) {
			latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
		}
		return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

}
