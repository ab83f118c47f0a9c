package io.inloop.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.inloop.cli.process.InloopHome;
import io.inloop.cli.process.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./inloop start} as a newcomer runs it: the broker and the three services in one JVM,
 * each service in a class loader of its own. A job goes through all of them to its owner's
 * WebSocket; SIGTERM stops the services gracefully, each writing its last lines to its own log,
 * before the broker. The stack keeps its usual ports (8080, 8070, 8090, 7000), so this test
 * skips when another stack has them.
 */
class LocalStackIT {

	private static final List<Integer> STACK_PORTS = List.of(8080, 8070, 8090, 7000);

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	/** In the build's folder, not the OS's temp folder, where Kafka Streams warns that state may be cleaned away. */
	static Path workingDirectory;

	/** What {@code ./inloop start} printed up to "Inloop is ready". */
	private static List<String> startOutput;

	private static ServiceProcess stack;

	private static Path logs;

	@BeforeAll
	static void startTheLocalStack() throws IOException {
		assumeThat(STACK_PORTS.stream().filter((port) -> !isFree(port)).toList())
			.as("ports of the local stack already taken (is ./inloop start running?)")
			.isEmpty();
		Path repository = InloopHome.locate();
		workingDirectory = Files.createDirectories(Path.of("target", "local-stack-" + UUID.randomUUID()).toAbsolutePath());
		Path home = workingDirectory.resolve("stack");
		logs = home.resolve("logs");
		int kafkaPort = freePortPair();
		stack = ServiceProcess.builder("inloop-start")
			.javaOptions("-Xmx2g", "-D" + InloopHome.PROPERTY + "=" + repository)
			.jar(cliJar(repository))
			.arguments("start", "--data-dir", home.resolve("kafka").toString(), "--kafka-port",
					String.valueOf(kafkaPort))
			.workingDirectory(workingDirectory)
			.logFile(workingDirectory.resolve("inloop-start.log"))
			.start();
		await().atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> !stack.isAlive() || stack.logTail(50).stream().anyMatch((line) -> line.startsWith("Inloop is ready")));
		assertThat(stack.isAlive()).as("./inloop start is running: %s", stack.logTail(40)).isTrue();
		startOutput = stack.logTail(1000);
	}

	@Test
	void aHealthyStartPrintsNoWarnings() {
		assertThat(startOutput).as("the console up to ready").anyMatch((line) -> line.startsWith("Inloop is ready"));
		// A checkout in the OS's temp folder (as a CI's may be) keeps the ledger's state there: Kafka Streams rightly says so
		boolean inTempFolder = workingDirectory.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
		assertThat(startOutput).as("warnings and errors a healthy start printed")
			.filteredOn((line) -> line.matches(".*\\b(WARN|ERROR)\\b.*"))
			.filteredOn((line) -> !(inTempFolder && line.contains("Using an OS temp directory in the state.dir")))
			.isEmpty();
	}

	@AfterAll
	static void stopIt() {
		if (stack != null) {
			stack.kill();
		}
	}

	@Test
	void runsTheServicesInItsOwnJvmAndAJobReachesItsOwner() throws Exception {
		assertThat(ProcessHandle.of(stack.pid()).orElseThrow().children().toList())
			.as("child processes of ./inloop start")
			.isEmpty();
		ApiClient api = new ApiClient(URI.create("http://127.0.0.1:8080"));
		String alice = devToken("alice");
		try (FrameRecorder browser = FrameRecorder.connect(URI.create("ws://127.0.0.1:8090/ws"), alice)) {
			String job = api.submitAccepted(alice, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":3,\"delayMs\":20}}");
			await().atMost(Duration.ofSeconds(30)).until(() -> browser.endsWith(job, "SUCCEEDED"));
			assertThat(browser.jobs(job)).extracting((frame) -> frame.get("state").asString())
				.containsExactly("QUEUED", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED");
			assertThat(api.job(devToken("bob"), job).status()).isEqualTo(404);
		}

		stack.stop(Duration.ofSeconds(60));
		assertThat(stack.logTail(5)).as("./inloop start's last lines").contains("Stopped.");
		assertThat(Files.readString(logs.resolve("kafka.log"))).as("the broker's own log")
			.contains("Kafka Server started");
		for (String service : List.of("api-service", "worker-service", "notifier-service")) {
			String log = Files.readString(logs.resolve(service + ".log"));
			assertThat(log).as(service + "'s own log").contains("Started ", "[" + service + "]");
			// Its context closed by the stack (the thread that stops it), and the log kept its last lines.
			assertThat(log).as(service + "'s log").contains("[" + service + "-stop]");
			assertThat(log).as(service + "'s log: no other service's lines")
				.doesNotContain(List.of("api-service", "worker-service", "notifier-service")
					.stream()
					.filter((other) -> !other.equals(service))
					.map((other) -> "--- [" + other + "]")
					.toArray(String[]::new));
		}
	}

	private static String devToken(String user) {
		return new ApiClient(URI.create("http://127.0.0.1:8080")).devToken(user);
	}

	private static Path cliJar(Path repository) throws IOException {
		try (Stream<Path> files = Files.list(repository.resolve("cli/target"))) {
			Optional<Path> jar = files.filter((file) -> file.getFileName().toString().endsWith("-exec.jar")).findFirst();
			return jar.orElseThrow(() -> new IllegalStateException("No cli/target/cli-*-exec.jar: package the cli first"));
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A free port whose next port (Kafka's controller) is free too, below the kernel's range for
	 * outgoing connections (32768 on): a port the system picks may be one a client takes next.
	 */
	private static int freePortPair() {
		java.util.Random random = new java.util.Random();
		for (int tries = 0; tries < 1000; tries++) {
			int port = 20000 + random.nextInt(12000);
			if (isFree(port) && isFree(port + 1)) {
				return port;
			}
		}
		throw new IllegalStateException("No two free ports next to each other between 20000 and 32000");
	}

}
