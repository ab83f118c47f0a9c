package io.inloop.cli.replay;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.inloop.cli.CommandRun;
import io.inloop.cli.InloopCommand;
import io.inloop.cli.TestKafka;
import io.inloop.history.OwnerPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.inloop.cli.replay.StatusEvents.T0;
import static io.inloop.cli.replay.StatusEvents.event;
import static io.inloop.cli.replay.StatusEvents.record;
import static io.inloop.schemas.JobState.FAILED;
import static io.inloop.schemas.JobState.QUEUED;
import static io.inloop.schemas.JobState.RUNNING;
import static io.inloop.schemas.JobState.STALLED;
import static io.inloop.schemas.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(TestKafka.class)
class ReplayCommandTests {

	private static final int PARTITIONS = 3;

	private static final JsonMapper json = JsonMapper.builder().build();

	private String topic;

	@BeforeEach
	void createTopic() {
		this.topic = TestKafka.createTopic("status", PARTITIONS);
	}

	@Test
	void replayOfOneJobPrintsExactlyItsEventsInOrder() {
		String bob = ownerApartFrom("alice");
		TestKafka.send(List.of(record(this.topic, event("job-a", "alice", "report", QUEUED, 0)),
				record(this.topic, event("job-b", "alice", "report", QUEUED, 0)),
				record(this.topic, event("job-a", "alice", "report", RUNNING, 1)),
				record(this.topic, event("job-c", bob, "report", QUEUED, 0)),
				record(this.topic, event("job-a", "alice", "report", RUNNING, 2)),
				record(this.topic, event("job-b", "alice", "report", RUNNING, 1)),
				record(this.topic, event("job-a", "alice", "report", SUCCEEDED, 3))));
		CommandRun run = replay("--job", "job-a");
		assertThat(run.exitCode()).as(run.err()).isZero();
		List<JsonNode> lines = parse(run);
		assertThat(lines).extracting((line) -> line.get("job").get("id").asString()).containsOnly("job-a");
		assertThat(lines).extracting((line) -> line.get("job").get("state").asString())
			.containsExactly("QUEUED", "RUNNING", "RUNNING", "SUCCEEDED");
		assertThat(lines).extracting((line) -> line.get("job").get("version").asLong())
			.containsExactly(0L, (1L << 32) | (1 << 1), (1L << 32) | (2 << 1), (1L << 32) | (3 << 1));
		assertThat(lines).allSatisfy((line) -> {
			assertThat(line.get("type").asString()).isEqualTo("job");
			assertThat(line.get("cursor").asString()).matches("\\d+-\\d+");
			assertThat(line.get("job").get("owner").asString()).isEqualTo("alice");
		});
		assertThat(lines).extracting((line) -> Long.parseLong(line.get("cursor").asString().split("-")[1])).isSorted();
	}

	@Test
	void aTimeRangeReplayReturnsOnlyEventsInsideTheRangeAndSeeksToItsStart() {
		List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
		for (int minute = 0; minute < 6; minute++) {
			records.add(record(this.topic, event("job-" + minute, "alice", "report", QUEUED, 0), T0.plusSeconds(60L * minute)));
		}
		TestKafka.send(records);
		CommandRun run = replay("--from", T0.plusSeconds(60).toString(), "--to", T0.plusSeconds(180).toString(),
				"--progress");
		assertThat(run.exitCode()).as(run.err()).isZero();
		List<JsonNode> lines = parse(run);
		assertThat(lines).extracting((line) -> line.get("job").get("id").asString())
			.containsExactly("job-1", "job-2", "job-3");
		assertThat(lines).extracting((line) -> line.get("timestamp").asString())
			.containsExactly("2026-11-27T10:01:00Z", "2026-11-27T10:02:00Z", "2026-11-27T10:03:00Z");
		// offsets-for-times bounded the scan to the range: 3 records read, not 6
		assertThat(run.err()).contains("3 / 3 records");
	}

	@Test
	void ownerReadsOnlyTheOwnersPartitionButFindsAllTheirEvents() {
		String bob = ownerApartFrom("alice");
		TestKafka.send(List.of(record(this.topic, event("job-a", "alice", "report", QUEUED, 0)),
				record(this.topic, event("job-b", bob, "report", QUEUED, 0)),
				record(this.topic, event("job-a", "alice", "report", RUNNING, 1)),
				record(this.topic, event("job-b", bob, "report", RUNNING, 1)),
				record(this.topic, event("job-d", "alice", "export", QUEUED, 0)),
				// In bob's partition only: reading it would report this record as skipped
				new ProducerRecord<>(this.topic, StatusEvents.key(bob), "not avro".getBytes(StandardCharsets.UTF_8))));
		CommandRun run = replay("--owner", "alice", "--progress");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(parse(run)).extracting((line) -> line.get("job").get("id").asString() + " " + line.get("job").get("state").asString())
			.containsExactly("job-a QUEUED", "job-a RUNNING", "job-d QUEUED");
		assertThat(run.err()).contains("3 / 3 records").doesNotContain("Skipped");
		int alicePartition = OwnerPartition.of("alice", PARTITIONS);
		assertThat(parse(run)).allSatisfy((line) -> assertThat(line.get("cursor").asString()).startsWith(alicePartition + "-"));
	}

	@Test
	void toTopicCopiesExactlyTheSelectedEvents() {
		String bob = ownerApartFrom("alice");
		List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String owner = (i % 2 == 0) ? "alice" : bob;
			ProducerRecord<byte[], byte[]> report = record(this.topic, event("report-" + i, owner, "report", QUEUED, 0),
					T0.plusSeconds(i));
			report.headers().add(new RecordHeader("traceparent", ("trace-" + i).getBytes(StandardCharsets.UTF_8)));
			records.add(report);
			records.add(record(this.topic, event("export-" + i, owner, "export", QUEUED, 0), T0.plusSeconds(i)));
			records.add(record(this.topic, event("report-" + i, owner, "report", RUNNING, 1), T0.plusSeconds(i + 1)));
		}
		TestKafka.send(records);
		String target = TestKafka.createTopic("rebuild", PARTITIONS);
		CommandRun run = replay("--type", "report", "--to-topic", target);
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).contains("Copied 8 event(s) to " + target);
		List<ConsumerRecord<byte[], byte[]>> source = TestKafka.readAll(this.topic, records.size())
			.stream()
			.filter((record) -> new String(record.value(), StandardCharsets.UTF_8).contains("report"))
			.toList();
		List<ConsumerRecord<byte[], byte[]>> copied = TestKafka.readAll(target, 8);
		assertThat(copied).hasSize(8);
		// Same partition, same order, same bytes, timestamps and headers
		assertThat(copied).map(ReplayCommandTests::essence).containsExactlyElementsOf(source.stream().map(ReplayCommandTests::essence).toList());
	}

	@Test
	void stateSelectsOnlyThoseStates() {
		TestKafka.send(List.of(record(this.topic, event("job-a", "alice", "report", QUEUED, 0)),
				record(this.topic, event("job-a", "alice", "report", RUNNING, 1)),
				record(this.topic, event("job-a", "alice", "report", STALLED, 2)),
				record(this.topic, event("job-b", "alice", "report", QUEUED, 0)),
				record(this.topic, event("job-b", "alice", "report", FAILED, 1))));
		CommandRun run = replay("--state", "failed,stalled");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(parse(run)).extracting((line) -> line.get("job").get("id").asString() + " " + line.get("job").get("state").asString())
			.containsExactly("job-a STALLED", "job-b FAILED");
	}

	@Test
	void tableShowsOneReadableRowPerEvent() {
		TestKafka.send(List.of(record(this.topic, event("job-a", "alice", "report", RUNNING, 2))));
		CommandRun run = replay("--format", "table");
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.lines()).hasSize(2);
		assertThat(run.lines().get(0)).startsWith("TIME").contains("CURSOR", "JOB", "OWNER", "TYPE", "STATE", "PROGRESS", "MESSAGE");
		assertThat(run.lines().get(1)).contains("job-a", "alice", "report", "RUNNING", "2/5", "step 2");
	}

	@Test
	void anUnreadableRecordIsSkippedWithANoteOnStderr() {
		String alice = "alice";
		TestKafka.send(List.of(record(this.topic, event("job-a", alice, "report", QUEUED, 0)),
				new ProducerRecord<>(this.topic, StatusEvents.key(alice), "not avro".getBytes(StandardCharsets.UTF_8)),
				record(this.topic, event("job-a", alice, "report", RUNNING, 1))));
		CommandRun run = replay();
		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(parse(run)).extracting((line) -> line.get("job").get("state").asString()).containsExactly("QUEUED", "RUNNING");
		int partition = OwnerPartition.of(alice, PARTITIONS);
		assertThat(run.err()).contains("Skipped " + partition + "-1: Not an Avro single-object encoded record",
				"Skipped 1 unreadable record(s)");
	}

	@Test
	void followPrintsLiveEventsUntilStopped() {
		TestKafka.send(List.of(record(this.topic, event("job-a", "alice", "report", QUEUED, 0))));
		StringWriter out = new StringWriter();
		AtomicReference<Thread> runner = new AtomicReference<>();
		CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
			runner.set(Thread.currentThread());
			return InloopCommand.commandLine()
				.setOut(new PrintWriter(out))
				.setErr(new PrintWriter(new StringWriter()))
				.execute("replay", "--bootstrap-servers", TestKafka.bootstrapServers(), "--topic", this.topic, "--follow");
		});
		await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("QUEUED"));
		TestKafka.send(List.of(record(this.topic, event("job-a", "alice", "report", SUCCEEDED, 1))));
		await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("SUCCEEDED"));
		runner.get().interrupt();
		assertThat(exit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(0);
	}

	@Test
	void aBadFromIsAUsageErrorWithAClearMessage() {
		CommandRun run = replay("--from", "yesterday");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).contains("Invalid value for option '--from': 'yesterday' is not a time", "-2h");
		assertThat(run.out()).isEmpty();
	}

	@Test
	void followWithAnEndIsAUsageError() {
		CommandRun run = replay("--follow", "--to", "now");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).contains("--follow and --to exclude each other");
	}

	@Test
	void anUnreachableClusterIsExitCodeOneWithoutAStackTrace() {
		CommandRun run = CommandRun.of("replay", "--bootstrap-servers", "localhost:" + TestKafka.freePort(), "--timeout", "1");
		assertThat(run.exitCode()).isEqualTo(1);
		assertThat(run.err()).contains("Cannot reach Kafka at localhost:", "within 1 s").doesNotContain("\tat ");
	}

	@Test
	void aMissingTopicIsExitCodeOne() {
		CommandRun run = CommandRun.of("replay", "--bootstrap-servers", TestKafka.bootstrapServers(), "--topic", "no-such-topic");
		assertThat(run.exitCode()).isEqualTo(1);
		assertThat(run.err()).contains("Topic no-such-topic does not exist");
	}

	private CommandRun replay(String... options) {
		List<String> args = new ArrayList<>(List.of("replay", "--bootstrap-servers", TestKafka.bootstrapServers(), "--topic", this.topic));
		args.addAll(List.of(options));
		return CommandRun.of(args.toArray(String[]::new));
	}

	private static List<JsonNode> parse(CommandRun run) {
		return run.lines().stream().map(json::readTree).toList();
	}

	private static String ownerApartFrom(String owner) {
		int taken = OwnerPartition.of(owner, PARTITIONS);
		return IntStream.range(0, 100)
			.mapToObj((i) -> "bob" + i)
			.filter((candidate) -> OwnerPartition.of(candidate, PARTITIONS) != taken)
			.findFirst()
			.orElseThrow();
	}

	private static String essence(ConsumerRecord<byte[], byte[]> record) {
		StringBuilder headers = new StringBuilder();
		record.headers().forEach((header) -> headers.append(header.key()).append('=')
			.append(new String(header.value(), StandardCharsets.UTF_8)).append(';'));
		return record.partition() + " " + new String(record.key(), StandardCharsets.UTF_8) + " " + record.timestamp() + " "
				+ Base64.getEncoder().encodeToString(record.value()) + " " + headers;
	}

}
