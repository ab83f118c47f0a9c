package io.inloop.cli.start;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.inloop.cli.broker.BrokerLogging;
import io.inloop.cli.broker.InloopTopics;
import io.inloop.cli.broker.LocalBroker;
import io.inloop.cli.broker.LocalCluster;
import io.inloop.cli.broker.Quorum;
import io.inloop.cli.broker.RunningKafka;
import io.inloop.cli.process.ExtractedJar;
import io.inloop.cli.process.RunningService;
import io.inloop.cli.process.ServiceInJvm;
import io.inloop.cli.process.ServiceJars;
import io.inloop.cli.process.ServiceProcess;
import org.jspecify.annotations.Nullable;

/**
 * A broker in this JVM (or a {@link LocalCluster} of broker processes) and the services, in this JVM too ({@link ServiceInJvm}) or as child
 * processes, started in that order and stopped in the reverse one. {@link #close()} may be called
 * from a shutdown hook while {@link #start()} runs.
 */
final class LocalStack implements AutoCloseable {

	private static final Duration BROKER_STOP_TIMEOUT = Duration.ofSeconds(30);

	private final StackSettings settings;

	private final @Nullable ServiceJars jars;

	private final PrintWriter out;

	private final List<RunningService> running = new ArrayList<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private @Nullable RunningKafka broker;

	private boolean closing;

	LocalStack(StackSettings settings, @Nullable ServiceJars jars, PrintWriter out) {
		this.settings = settings;
		this.jars = jars;
		this.out = out;
	}

	/**
	 * Start the broker, create the topics, start the services and wait until all are ready.
	 * @throws io.inloop.cli.process.ServiceNotReadyException if a service exits or times out
	 */
	void start() {
		long began = System.nanoTime();
		List<Path> serviceJars = serviceJars();
		BrokerLogging.writeTo(this.settings.logs());
		Quorum quorum = this.settings.quorum();
		this.out.printf("Starting Kafka on %s (data in %s)%n", quorum.bootstrapServers(), this.settings.kafkaDir());
		this.out.flush();
		RunningKafka started = (quorum.size() == 1)
				? LocalBroker.start(this.settings.kafkaDir(), quorum.node(1).port(), quorum.node(1).controllerPort())
				: LocalCluster.start(quorum, this.settings.kafkaDir(), this.settings.logs(), new Properties(),
						this.settings.readyTimeout(), echo(""));
		synchronized (this) {
			this.broker = started;
		}
		if (isClosing()) {
			// Interrupted while the broker was starting: close() did not see it.
			started.stop();
			return;
		}
		List<String> created = InloopTopics.create(started, this.settings.partitions());
		this.out.printf("Kafka ready in %s (%s)%n", since(began),
				created.isEmpty() ? "topics already there" : "created " + created.size() + " topics");
		this.out.flush();
		if (this.settings.services().isEmpty()) {
			return;
		}
		JwtKeyPair jwtKeys = this.settings.jwtKeys();
		for (int i = 0; i < serviceJars.size(); i++) {
			startService(this.settings.services().get(i), serviceJars.get(i), jwtKeys);
		}
		for (int i = 0; i < this.settings.services().size(); i++) {
			this.running.get(i).awaitReady(this.settings.services().get(i).readiness(), this.settings.readyTimeout());
			this.out.printf("%s ready in %s%n", this.running.get(i).name(), since(began));
			this.out.flush();
		}
	}

	// In one JVM: each service's jar extracted (once per build) for a class loader of its own.
	private List<Path> serviceJars() {
		List<Path> jars = this.settings.services().stream().map((instance) -> jar(instance.service())).toList();
		if (!this.settings.inOneJvm()) {
			return jars;
		}
		// Unless INLOOP_JAVA_OPTS says otherwise.
		InloopService.jvmWideProperties().forEach((name, value) -> {
			if (System.getProperty(name) == null) {
				System.setProperty(name, value);
			}
		});
		return jars.parallelStream()
			.map((jar) -> ExtractedJar.of(jar, this.settings.extractedJars().resolve(moduleOf(jar))))
			.toList();
	}

	private static String moduleOf(Path jar) {
		String file = jar.getFileName().toString();
		return file.substring(0, file.length() - ".jar".length());
	}

	private Path jar(InloopService service) {
		if (this.jars == null) {
			throw new IllegalStateException("No repository to find the jar of " + service.module() + " in");
		}
		return this.jars.jar(service.module());
	}

	// The lines of a service's output that the console shows, after its name (a Kafka node's name their own).
	private Consumer<String> echo(String name) {
		String prefix = name.isEmpty() ? "" : String.format(Locale.ROOT, "%-18s | ", name);
		ConsoleEcho echo = this.settings.echo();
		return (line) -> {
			if (echo.shows(line)) {
				this.out.println(prefix + line);
				this.out.flush();
			}
		};
	}

	private void startService(ServiceInstance instance, Path jar, JwtKeyPair jwtKeys) {
		Consumer<String> console = echo(instance.name());
		Path logFile = this.settings.logs().resolve(instance.name() + ".log");
		List<String> arguments = new ArrayList<>(this.settings.argumentsFor(instance));
		RunningService service;
		if (this.settings.inOneJvm()) {
			arguments.addAll(jwtKeys.argumentsFor(instance.service()));
			service = ServiceInJvm.start(instance.name(), jar, arguments, logFile, console);
		}
		else {
			ServiceProcess.Builder builder = ServiceProcess.builder(instance.name())
				.jar(jar)
				.javaOptions(instance.service().javaOptions().toArray(String[]::new))
				.arguments(arguments);
			jwtKeys.environmentFor(instance.service()).forEach(builder::environment);
			service = builder.logFile(logFile).onLine(console).start();
		}
		synchronized (this) {
			if (this.closing) {
				service.requestStop();
				return;
			}
			this.running.add(service);
		}
		service.onExit().thenAccept(this::exited);
	}

	synchronized boolean isClosing() {
		return this.closing;
	}

	private void exited(RunningService service) {
		if (isClosing()) {
			return;
		}
		this.out.printf("%s %s; its log is %s%n", service.name(), service.howItEnded(), service.logFile());
		this.out.flush();
	}

	/** Block until {@link #close()} has finished. */
	void awaitClosed() throws InterruptedException {
		this.closed.await();
	}

	/** Stop the services (SIGTERM, then SIGKILL after 20 s) and then the broker; safe to call twice. */
	@Override
	public void close() {
		List<RunningService> services;
		RunningKafka started;
		synchronized (this) {
			if (this.closing) {
				return;
			}
			this.closing = true;
			services = List.copyOf(this.running);
			started = this.broker;
		}
		try {
			this.out.println("Stopping...");
			this.out.flush();
			services.forEach(RunningService::requestStop);
			services.forEach((service) -> service.awaitStop(ServiceProcess.DEFAULT_GRACE));
			if (started != null) {
				stopBroker(started);
			}
			this.out.println("Stopped.");
			this.out.flush();
		}
		finally {
			this.closed.countDown();
		}
	}

	// A broker that cannot reach its controller waits minutes for a controlled shutdown: don't.
	private void stopBroker(RunningKafka broker) {
		try {
			CompletableFuture.runAsync(broker::stop).get(BROKER_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			this.out.printf("Kafka did not stop within %d s; leaving it to recover its logs on the next start%n",
					BROKER_STOP_TIMEOUT.toSeconds());
		}
		catch (ExecutionException ex) {
			this.out.println("Kafka did not stop cleanly: " + ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String since(long began) {
		Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
		return String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
	}

}
