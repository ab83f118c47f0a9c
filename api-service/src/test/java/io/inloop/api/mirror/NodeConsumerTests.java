package io.inloop.api.mirror;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.inloop.schemas.JobError;
import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static io.inloop.api.mirror.StatusMirrorTests.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example consumer outside the JVM ({@code examples/node-consumer}, Node and kafkajs) reads
 * what api-service's real mirror wrote from status records as the services write them. Needs
 * {@code node} and {@code npm} on the path: skipped loudly without them, unless
 * {@code INLOOP_REQUIRE_NODE=1} (CI), where it fails.
 */
@SpringBootTest(properties = { "inloop.status-mirror.enabled=true", "inloop.ledger.stall-after=1h" })
@ActiveProfiles("test")
class NodeConsumerTests {

	private static final Path EXAMPLE = Path.of("..", "examples", "node-consumer").toAbsolutePath().normalize();

	private static final long TIMEOUT_SECONDS = 60;

	@Value("${spring.embedded.kafka.brokers}")
	private String brokers;

	@TempDir
	private Path output;

	private StatusTopic status;

	@BeforeEach
	void nodeAndTheExamplesDependencies() throws Exception {
		boolean node = runs("node", "--version") && runs("npm", "--version");
		if (!node && "1".equals(System.getenv("INLOOP_REQUIRE_NODE"))) {
			throw new IllegalStateException("INLOOP_REQUIRE_NODE=1 but node or npm is not on the path");
		}
		if (!node) {
			System.err.println("SKIPPED: node and npm are needed for " + getClass().getSimpleName()
					+ " (apt-get install nodejs npm); set INLOOP_REQUIRE_NODE=1 to fail instead");
		}
		assumeTrue(node, "node and npm on the path");
		if (!Files.isDirectory(EXAMPLE.resolve("node_modules/kafkajs"))) {
			Path log = Files.createTempFile("npm-ci", ".log");
			assertThat(run(EXAMPLE, log, "npm", "ci", "--no-audit", "--no-fund")).as("npm ci (%s)", log).isZero();
		}
		this.status = new StatusTopic(this.brokers);
	}

	@AfterEach
	void close() {
		if (this.status != null) {
			this.status.close();
		}
	}

	@Test
	void printsEachStatusChangeOfEachJobOnceFromTheMirror() throws Exception {
		String owner = "owner-" + UUID.randomUUID();
		Instant now = Instant.now();
		this.status.send(snapshot(owner, "report", JobState.QUEUED, 0, 0).setProgress(new JobProgress(0L, 0L))
			.setMessage(null).build());
		this.status.send(snapshot(owner, "report", JobState.RUNNING, 1, 0).setProgress(new JobProgress(0L, 5L))
			.setMessage("starting").setStartedAt(now).build());
		this.status.send(snapshot(owner, "resize", JobState.QUEUED, 0, 0).setProgress(new JobProgress(0L, 0L))
			.setMessage(null).build());
		this.status.send(snapshot(owner, "report", JobState.RUNNING, 1, 1).setProgress(new JobProgress(3L, 5L))
			.setMessage("step 3 of 5").setStartedAt(now).build());
		// A redelivered snapshot: the consumer, as every Inloop client, shows a job's version once
		this.status.send(snapshot(owner, "report", JobState.RUNNING, 1, 1).setProgress(new JobProgress(3L, 5L))
			.setMessage("step 3 of 5").setStartedAt(now).build());
		this.status.send(snapshot(owner, "resize", JobState.FAILED, 0, 1).setProgress(new JobProgress(0L, 0L))
			.setMessage(null).setError(new JobError("unknown-type", "No handler for resize", false))
			.setFinishedAt(now).build());
		this.status.send(snapshot(owner, "report", JobState.SUCCEEDED, 1, 2).setProgress(new JobProgress(5L, 5L))
			.setMessage("done").setResult("{\"url\":\"/files/report.pdf\"}").setStartedAt(now).setFinishedAt(now)
			.build());

		File stdout = this.output.resolve("stdout").toFile();
		Process consumer = new ProcessBuilder("node", "consumer.js", "--brokers", this.brokers, "--group",
				"node-consumer-test-" + UUID.randomUUID(), "--from-beginning", "--owner", owner, "--exit-after", "6")
			.directory(EXAMPLE.toFile())
			.redirectOutput(stdout)
			.redirectError(this.output.resolve("stderr").toFile())
			.start();
		boolean exited = consumer.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		if (!exited) {
			consumer.destroyForcibly();
		}

		assertThat(exited).as("the consumer exits after 6 status changes; stderr: %s", stderr()).isTrue();
		assertThat(consumer.exitValue()).as("exit code; stderr: %s", stderr()).isZero();
		assertThat(Files.readAllLines(stdout.toPath(), StandardCharsets.UTF_8)).containsExactly(
				owner + " report QUEUED",
				owner + " report RUNNING 0/5 \"starting\"",
				owner + " resize QUEUED",
				owner + " report RUNNING 3/5 \"step 3 of 5\"",
				owner + " resize FAILED error=unknown-type",
				owner + " report SUCCEEDED 5/5 \"done\"");
	}

	private String stderr() throws IOException {
		return Files.readString(this.output.resolve("stderr"), StandardCharsets.UTF_8);
	}

	private static boolean runs(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Runs a command, its output to {@code log}. Never with the test JVM's standard input: surefire
	 * talks to its forked JVM over it, and a child that reads it (npm does) corrupts the channel.
	 */
	private static int run(Path directory, Path log, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

}
