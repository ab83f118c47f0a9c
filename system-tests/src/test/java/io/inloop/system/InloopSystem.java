package io.inloop.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.inloop.cli.process.InloopHome;
import io.inloop.cli.process.ServiceJars;
import io.inloop.cli.process.ServiceProcess;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Inloop as a user meets it: the three services started from their executable jars as separate
 * processes against one broker, each on a free port. One instance serves the whole test run.
 */
final class InloopSystem {

	static final int PARTITIONS = 3;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

	private static final List<String> JAVA_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static volatile InloopSystem shared;

	private final String brokers;

	private final String secret = randomSecret();

	private final ServiceJars jars = new ServiceJars(InloopHome.locate());

	private final Path logs = Path.of("target", "services");

	private final int apiPort = freePort();

	private final int notifierPort = freePort();

	private final int workerPort = freePort();

	private final ServiceProcess api;

	private final ServiceProcess worker;

	private final ServiceProcess notifier;

	private InloopSystem(String brokers) {
		this.brokers = brokers;
		createTopics();
		this.api = start("api-service", this.apiPort);
		this.worker = start("worker-service", this.workerPort);
		this.notifier = start("notifier-service", this.notifierPort);
		awaitReady(this.api, this.apiPort);
		awaitReady(this.worker, this.workerPort);
		awaitReady(this.notifier, this.notifierPort);
	}

	/** The running system, started on first use and stopped when the test JVM exits. */
	static InloopSystem get() {
		if (shared == null) {
			synchronized (InloopSystem.class) {
				if (shared == null) {
					String brokers = System.getProperty("spring.embedded.kafka.brokers");
					if (brokers == null) {
						throw new IllegalStateException("No embedded broker: is junit-platform.properties on the classpath?");
					}
					InloopSystem system = new InloopSystem(brokers);
					Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "inloop-system-stop"));
					shared = system;
				}
			}
		}
		return shared;
	}

	URI api() {
		return URI.create("http://localhost:" + this.apiPort);
	}

	URI notifierWebSocket() {
		return URI.create("ws://localhost:" + this.notifierPort + "/ws");
	}

	/** A valid token for {@code user}, signed with the secret the services were started with. */
	String token(String user) {
		return new TokenSigner(this.secret).sign(user, Duration.ofMinutes(10), List.of());
	}

	/** A token signed with another secret: well-formed, but not one of ours. */
	String forgedToken(String user) {
		return new TokenSigner(randomSecret()).sign(user, Duration.ofMinutes(10), List.of());
	}

	private ServiceProcess start(String service, int port) {
		try {
			Files.createDirectories(this.logs);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return ServiceProcess.builder(service)
			.jar(this.jars.jar(service))
			.javaOptions(JAVA_OPTIONS.toArray(String[]::new))
			.arguments("--server.port=" + port, "--spring.kafka.bootstrap-servers=" + this.brokers,
					"--inloop.topics.partitions=" + PARTITIONS)
			.environment("INLOOP_SECURITY_JWT_SECRET", this.secret)
			.logFile(this.logs.resolve(service + ".log"))
			.start();
	}

	private static void awaitReady(ServiceProcess service, int port) {
		service.awaitReady(URI.create("http://localhost:" + port + "/actuator/health/readiness"), READY_TIMEOUT);
	}

	private void createTopics() {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			admin.createTopics(Topics.definitions(PARTITIONS, (short) 1, Duration.ofDays(7))).values()
				.values()
				.forEach((created) -> {
					try {
						created.get();
					}
					catch (ExecutionException ex) {
						if (!(ex.getCause() instanceof TopicExistsException)) {
							throw new IllegalStateException("Cannot create topics", ex.getCause());
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
				});
		}
	}

	private void stop() {
		for (ServiceProcess service : List.of(this.notifier, this.worker, this.api)) {
			service.requestStop();
		}
		for (ServiceProcess service : List.of(this.notifier, this.worker, this.api)) {
			service.awaitStop(Duration.ofSeconds(15));
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String randomSecret() {
		byte[] bytes = new byte[48];
		new SecureRandom().nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}

}
