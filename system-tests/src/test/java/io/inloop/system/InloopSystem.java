package io.inloop.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.cli.process.InloopHome;
import io.inloop.cli.process.ServiceJars;
import io.inloop.cli.process.ServiceProcess;
import io.inloop.schemas.Topics;
import io.inloop.security.TokenSigner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;

/**
 * Inloop as a user meets it: the three services started from their executable jars as separate
 * processes against one broker, each on a free port. One instance serves the whole test run;
 * tests that kill or restart a service leave it running again when they finish.
 * Public for the browser tests in {@code io.inloop.system.browser}.
 */
public final class InloopSystem implements AutoCloseable {

	static final int PARTITIONS = 3;

	/** Short enough that crash tests see stalls and takeovers within seconds. */
	static final Duration HEARTBEAT = Duration.ofSeconds(1);

	/** How long a command stays with a worker that took it and died before its attempt started. */
	static final Duration WORKER_LOCK = Duration.ofSeconds(3);

	/** A running job silent this long is reported STALLED (three heartbeats). */
	static final Duration STALL_AFTER = HEARTBEAT.multipliedBy(3);

	/**
	 * A STALLED job silent this long more loses its lease: its next attempt is queued. Long enough
	 * for a test to pause a worker until its job is shown STALLED and resume it before that.
	 */
	static final Duration REQUEUE_AFTER = Duration.ofSeconds(5);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

	private static final List<String> JAVA_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static volatile InloopSystem shared;

	private final String brokers;

	/** Copies of each partition of Inloop's topics: 1, or 3 on a three-node cluster. */
	private final short replicationFactor;

	/** Like the local stack's: the API, which mints dev tokens, holds the private key; the others only the public one. */
	private final KeyPair keys = newKeyPair();

	private final TokenSigner signer = TokenSigner.withPrivateKey((RSAPrivateKey) this.keys.getPrivate());

	private final ServiceJars jars = new ServiceJars(InloopHome.locate());

	private static final AtomicInteger systems = new AtomicInteger();

	/** One folder per system: logs and the ledger's state of concurrent runs must not mix. */
	private final Path logs = Path.of("target", "services", "run-" + System.currentTimeMillis() + "-"
			+ ProcessHandle.current().pid() + "-" + systems.incrementAndGet());

	private final AtomicInteger instances = new AtomicInteger();

	private final int apiPort = freePort();

	private final int notifierPort = freePort();

	private final Path ledgerState = this.logs.resolve("api-state");

	private ServiceProcess api;

	private final List<ServiceProcess> workers = new ArrayList<>();

	/** Every worker this system started, running or not: their logs say what ran where. */
	private final List<ServiceProcess> everyWorker = new ArrayList<>();

	private final Map<ServiceProcess, Integer> workerPorts = new java.util.concurrent.ConcurrentHashMap<>();

	private final Map<ServiceProcess, Duration> workerLocks = new java.util.concurrent.ConcurrentHashMap<>();

	private ServiceProcess notifier;

	private final int secondNotifierPort = freePort();

	private @Nullable ServiceProcess secondNotifier;

	private InloopSystem(String brokers, short replicationFactor) {
		this.brokers = brokers;
		this.replicationFactor = replicationFactor;
		createTopics();
		this.api = startApi();
		ServiceProcess worker = startWorker(WORKER_LOCK);
		this.notifier = startNotifier();
		awaitReady(this.api, this.apiPort);
		awaitReady(worker, workerPort(worker));
		awaitReady(this.notifier, this.notifierPort);
	}

	/** The running system, started on first use and stopped when the test JVM exits. */
	public static InloopSystem get() {
		if (shared == null) {
			synchronized (InloopSystem.class) {
				if (shared == null) {
					InloopSystem system = new InloopSystem(TestBroker.bootstrapServers(), TestBroker.replicationFactor());
					Runtime.getRuntime().addShutdownHook(new Thread(system::stop, "inloop-system-stop"));
					shared = system;
				}
			}
		}
		return shared;
	}

	/**
	 * A system of its own on {@code brokers}, for a test that does to the broker what the shared
	 * one must not see; {@link #close()} stops its services.
	 */
	static InloopSystem on(String brokers) {
		return new InloopSystem(brokers, (short) 1);
	}

	/** As {@link #on(String)}, on a cluster that keeps {@code replicationFactor} copies of each partition. */
	static InloopSystem on(String brokers, short replicationFactor) {
		return new InloopSystem(brokers, replicationFactor);
	}

	/** Stops every service of this system. */
	@Override
	public void close() {
		stop();
	}

	public URI api() {
		return URI.create("http://localhost:" + this.apiPort);
	}

	/** The demo page and the browser client's origin. */
	public URI notifierPage() {
		return URI.create("http://localhost:" + this.notifierPort);
	}

	URI notifierWebSocket() {
		return URI.create("ws://localhost:" + this.notifierPort + "/ws");
	}

	/** A second notifier on the same broker, started the first time it is asked for: any instance serves any user. */
	synchronized URI secondNotifierWebSocket() {
		if (this.secondNotifier == null) {
			this.secondNotifier = startNotifier(this.secondNotifierPort);
			awaitReady(this.secondNotifier, this.secondNotifierPort);
		}
		return URI.create("ws://localhost:" + this.secondNotifierPort + "/ws");
	}

	String brokers() {
		return this.brokers;
	}

	/** A valid token for {@code user}, signed with the private key whose public key the services were given. */
	public String token(String user) {
		return this.signer.sign(user, Duration.ofMinutes(10), List.of());
	}

	/** A valid token for {@code user} with the given scopes (e.g. {@code metrics}, {@code admin}). */
	public String token(String user, List<String> scopes) {
		return this.signer.sign(user, Duration.ofMinutes(10), scopes);
	}

	/** The PEM private key the API was given: what {@code inloop token --private-key} signs with. */
	Path privateKeyFile() {
		return this.logs.resolve("jwt-private.pem").toAbsolutePath();
	}

	synchronized ServiceProcess apiProcess() {
		return this.api;
	}

	synchronized ServiceProcess notifierProcess() {
		return this.notifier;
	}

	URI workerManagement(ServiceProcess worker) {
		return URI.create("http://localhost:" + workerPort(worker));
	}

	/** A token signed with another key: well-formed, but not one of ours. */
	String forgedToken(String user) {
		return TokenSigner.withPrivateKey((RSAPrivateKey) newKeyPair().getPrivate())
			.sign(user, Duration.ofMinutes(10), List.of());
	}

	synchronized List<ServiceProcess> workers() {
		return List.copyOf(this.workers);
	}

	/**
	 * Starts {@code count} more worker instances of {@code concurrency} job slots each, all at once,
	 * and waits until every one is ready.
	 */
	synchronized List<ServiceProcess> addWorkers(int count, int concurrency) {
		List<ServiceProcess> added = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			added.add(startWorker(WORKER_LOCK, concurrency));
		}
		added.forEach((worker) -> awaitReady(worker, workerPort(worker)));
		return added;
	}

	/** Every worker started so far, including those stopped or killed since. */
	synchronized List<ServiceProcess> everyWorkerStarted() {
		return List.copyOf(this.everyWorker);
	}

	/** Starts one more worker instance and waits until it is ready. */
	synchronized ServiceProcess addWorker() {
		ServiceProcess worker = startWorker(WORKER_LOCK);
		awaitReady(worker, workerPort(worker));
		return worker;
	}

	/**
	 * Makes a worker whose commands stay locked for {@code lock} the only one, so a test can pause
	 * it without its job going to another worker; {@link #restoreOneWorker()} brings back a usual one.
	 */
	synchronized ServiceProcess onlyWorkerWithLock(Duration lock) {
		ServiceProcess patient = startWorker(lock);
		awaitReady(patient, workerPort(patient));
		for (ServiceProcess other : new ArrayList<>(this.workers)) {
			if (other != patient) {
				stop(other);
			}
		}
		return patient;
	}

	/** Stops a worker gracefully (SIGTERM), as a deploy would. */
	synchronized void stop(ServiceProcess worker) {
		worker.stop(Duration.ofSeconds(30));
		this.workers.remove(worker);
	}

	/** Kills a worker abruptly, as a crash would. */
	synchronized void kill(ServiceProcess worker) {
		worker.kill();
		this.workers.remove(worker);
	}

	/** Stops extra workers and starts one again if none is left, as the next test expects. */
	synchronized void restoreOneWorker() {
		if (this.workers.stream().anyMatch((worker) -> !WORKER_LOCK.equals(this.workerLocks.get(worker)))) {
			addWorker();
			for (ServiceProcess unusual : new ArrayList<>(this.workers)) {
				if (!WORKER_LOCK.equals(this.workerLocks.get(unusual))) {
					stop(unusual);
				}
			}
		}
		while (this.workers.size() > 1) {
			ServiceProcess extra = this.workers.remove(this.workers.size() - 1);
			extra.stop(Duration.ofSeconds(15));
		}
		if (this.workers.isEmpty()) {
			addWorker();
		}
	}

	/**
	 * Stops every service and starts them again; with {@code forgetLocalState} the ledger starts
	 * from an empty state directory and must rebuild itself from Kafka alone.
	 */
	synchronized void restartAll(boolean forgetLocalState) {
		List<ServiceProcess> running = new ArrayList<>(this.workers);
		running.add(this.api);
		running.add(this.notifier);
		running.forEach(ServiceProcess::requestStop);
		running.forEach((service) -> service.awaitStop(Duration.ofSeconds(20)));
		this.workers.clear();
		if (forgetLocalState) {
			deleteRecursively(this.ledgerState);
		}
		this.api = startApi();
		ServiceProcess worker = startWorker(WORKER_LOCK);
		this.notifier = startNotifier();
		awaitReady(this.api, this.apiPort);
		awaitReady(worker, workerPort(worker));
		awaitReady(this.notifier, this.notifierPort);
	}

	/**
	 * Stops api-service, abruptly with {@code kill} (SIGKILL, as a crash would) or gracefully, and
	 * starts it again on the same port and ledger state directory, without waiting for it to be
	 * ready: {@link #awaitApiReady(Duration)} does.
	 */
	synchronized void restartApi(boolean kill) {
		if (kill) {
			this.api.kill();
		}
		else {
			this.api.stop(Duration.ofSeconds(20));
		}
		this.api = startApi();
	}

	/** Waits until every service of this system answers ready. */
	synchronized void awaitAllReady() {
		awaitReady(this.api, this.apiPort);
		this.workers.forEach((worker) -> awaitReady(worker, workerPort(worker)));
		awaitReady(this.notifier, this.notifierPort);
	}

	synchronized void awaitApiReady(Duration timeout) {
		this.api.awaitReady(URI.create("http://localhost:" + this.apiPort + "/actuator/health/readiness"), timeout);
	}

	private ServiceProcess startApi() {
		return startApi(this.apiPort, "api-1", this.ledgerState);
	}

	/**
	 * Another api-service instance on {@code port}, a member of the same ledger (its partitions
	 * shared with the first), with its own member id and state; started, not yet ready.
	 */
	ServiceProcess startAnotherApi(int port, String instanceId) {
		return startApi(port, instanceId, this.logs.resolve("api-state-" + instanceId));
	}

	/** Waits until the api-service on {@code port} answers ready. */
	static void awaitApiReady(ServiceProcess api, int port) {
		awaitReady(api, port);
	}

	private ServiceProcess startApi(int port, String instanceId, Path state) {
		return start("api-service", port, "--inloop.ledger.stall-after=" + STALL_AFTER.toMillis() + "ms",
				"--inloop.ledger.requeue-after=" + REQUEUE_AFTER.toMillis() + "ms", "--inloop.ledger.stall-check-interval=200ms",
				// Off by default; StatusMirrorIT reads it
				"--inloop.status-mirror.enabled=true",
				// The demo page, served by the notifier, mints dev tokens and calls the API from the browser.
				"--inloop.dev-tokens.enabled=true", "--inloop.api.cors.allowed-origins=" + notifierPage(),
				"--logging.level.io.inloop.api.jobs=DEBUG", "--management.tracing.sampling.probability=1.0",
				"--spring.kafka.streams.state-dir=" + state.toAbsolutePath(),
				// Members of one ledger: distinct ids, each reachable by the others to forward a query
				"--inloop.ledger.membership.instance-id=" + instanceId,
				"--inloop.ledger.advertised-address=localhost:" + port);
	}

	private ServiceProcess startWorker(Duration lock) {
		return startWorker(lock, 4);
	}

	private ServiceProcess startWorker(Duration lock, int concurrency) {
		int port = freePort();
		ServiceProcess worker = start("worker-service", port,
				"--inloop.worker.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
				"--inloop.worker.retry.initial-interval=200ms", "--inloop.worker.retry.max-interval=1s",
				"--inloop.worker.shutdown-grace=5s", "--inloop.worker.concurrency=" + concurrency,
				// A killed worker's job is delivered to another one after this, not after 15 s.
				"--inloop.worker.queue.lock-duration=" + lock.toMillis() + "ms",
				"--logging.level.io.inloop.worker.execution=DEBUG", "--management.tracing.sampling.probability=1.0");
		this.workers.add(worker);
		this.everyWorker.add(worker);
		this.workerPorts.put(worker, port);
		this.workerLocks.put(worker, lock);
		return worker;
	}

	private ServiceProcess startNotifier() {
		return startNotifier(this.notifierPort);
	}

	private ServiceProcess startNotifier(int port) {
		// A free RSocket port too: a local stack on this machine may hold the default one.
		return start("notifier-service", port, "--spring.rsocket.server.port=" + freePort(),
				"--inloop.demo.api-url=" + api(), "--logging.level.io.inloop.notifier.delivery=DEBUG",
				"--management.tracing.sampling.probability=1.0");
	}

	/** Stops the notifier (gracefully, or abruptly with {@code kill}) and starts it again on the same port. */
	public synchronized void restartNotifier(boolean kill) {
		if (kill) {
			this.notifier.kill();
		}
		else {
			this.notifier.stop(Duration.ofSeconds(20));
		}
		this.notifier = startNotifier();
		awaitReady(this.notifier, this.notifierPort);
	}

	/** Kills the notifier, as a crash would; {@link #startNotifierAgain()} brings it back on the same port. */
	public synchronized void killNotifier() {
		this.notifier.kill();
	}

	/** Stops the notifier; {@link #startNotifierAgain()} brings it back on the same port. */
	public synchronized void stopNotifier() {
		this.notifier.stop(Duration.ofSeconds(20));
	}

	public synchronized void startNotifierAgain() {
		this.notifier = startNotifier();
		awaitReady(this.notifier, this.notifierPort);
	}

	private ServiceProcess start(String service, int port, String... extraArguments) {
		try {
			Files.createDirectories(this.logs);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port,
				"--spring.kafka.bootstrap-servers=" + this.brokers, "--inloop.topics.partitions=" + PARTITIONS,
				"--inloop.topics.replication-factor=" + this.replicationFactor));
		arguments.addAll(List.of(extraArguments));
		String name = service + "-" + this.instances.incrementAndGet();
		ServiceProcess.Builder builder = ServiceProcess.builder(name)
			.jar(this.jars.jar(service))
			.javaOptions(JAVA_OPTIONS.toArray(String[]::new))
			.arguments(arguments)
			.environment("INLOOP_SECURITY_JWT_PUBLIC_KEY_LOCATION", "file:" + pem(this.logs.resolve("jwt-public.pem"),
					"PUBLIC KEY", this.keys.getPublic().getEncoded()));
		if (service.equals("api-service")) {
			builder.environment("INLOOP_SECURITY_JWT_PRIVATE_KEY_LOCATION", "file:" + pem(
					this.logs.resolve("jwt-private.pem"), "PRIVATE KEY", this.keys.getPrivate().getEncoded()));
		}
		return builder.logFile(this.logs.resolve(name + ".log")).start();
	}

	private int workerPort(ServiceProcess worker) {
		return this.workerPorts.get(worker);
	}

	private static void awaitReady(ServiceProcess service, int port) {
		service.awaitReady(URI.create("http://localhost:" + port + "/actuator/health/readiness"), READY_TIMEOUT);
	}

	private void createTopics() {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			admin.createTopics(Topics.definitions(PARTITIONS, this.replicationFactor, Duration.ofDays(7))).values()
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

	private synchronized void stop() {
		List<ServiceProcess> running = new ArrayList<>(this.workers);
		running.add(this.api);
		running.add(this.notifier);
		if (this.secondNotifier != null) {
			running.add(this.secondNotifier);
		}
		running.forEach(ServiceProcess::requestStop);
		running.forEach((service) -> service.awaitStop(Duration.ofSeconds(15)));
	}

	private static void deleteRecursively(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (var files = Files.walk(path)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.delete(file);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path pem(Path file, String type, byte[] der) {
		try {
			Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
				.encodeToString(der) + "\n-----END " + type + "-----\n");
			return file.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
