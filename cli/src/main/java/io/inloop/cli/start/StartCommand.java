package io.inloop.cli.start;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.inloop.cli.broker.Quorum;
import io.inloop.cli.process.InloopHome;
import io.inloop.cli.process.ServiceJars;
import io.inloop.cli.process.ServiceNotReadyException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inloop start}: Kafka and the three services on this machine, until Ctrl-C. */
@Command(name = "start", mixinStandardHelpOptions = true,
		description = { "Run a real Kafka broker (KRaft, in this process; or a cluster of them, --brokers) and the Inloop services.",
				"Everything stops on Ctrl-C; topics and records are kept in the data directory." })
public final class StartCommand implements Callable<Integer> {

	/** Exit code when the stack could not start. */
	static final int FAILED = 1;

	/** What a browser sends as {@code Origin}: a scheme, a host, perhaps a port. */
	private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

	private static final List<String> ALL_SERVICES = List.of("api-service", "worker-service", "notifier-service");

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Option(names = "--data-dir", paramLabel = "<dir>",
			description = "Kafka's log directory; logs and the JWT key pair go next to it (default: .inloop/kafka in the repository).")
	@Nullable Path dataDir;

	@Option(names = "--partitions", defaultValue = "6", paramLabel = "<count>", description = "Partitions of each Inloop topic (default: ${DEFAULT-VALUE}).")
	int partitions;

	@Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "<port>",
			description = "Kafka's client port (default: ${DEFAULT-VALUE}); the controller uses the next port, and the n-th node of a cluster the two ports 2 * (n - 1) up.")
	int kafkaPort;

	@Option(names = "--brokers", defaultValue = "1", paramLabel = "<count>",
			description = { "Kafka nodes (default: ${DEFAULT-VALUE}, in this JVM; at most 9). From 2 on each node is a process of its own (data in .inloop/kafka-cluster),",
					"every partition has 3 copies (2 for two nodes) and a write needs 2 of them: one node may die without losing or refusing anything." })
	int brokers;

	@Option(names = "--services", split = ",", paramLabel = "<service>",
			description = "Services to start (default: api-service,worker-service,notifier-service).")
	List<String> services = ALL_SERVICES;

	@Option(names = "--apis", defaultValue = "1", paramLabel = "<count>",
			description = "api-service processes (default: ${DEFAULT-VALUE}, at most 9): 8080, then 8180, 8280, ...; any answers for any owner, forwarding to the one that holds its ledger partition.")
	int apis;

	@Option(names = "--workers", defaultValue = "1", paramLabel = "<count>",
			description = "worker-service processes (default: ${DEFAULT-VALUE}, at most 9); the n-th has its ports 100 * (n - 1) up.")
	int workers;

	@Option(names = "--notifiers", defaultValue = "1", paramLabel = "<count>",
			description = "notifier-service processes (default: ${DEFAULT-VALUE}, at most 9): 8090/7000, then 8190/7100, 8290/7200, ...")
	int notifiers;

	@Option(names = "--no-services", description = "Run the broker only.")
	boolean noServices;

	@Option(names = "--ready-timeout", defaultValue = "90", paramLabel = "<seconds>",
			description = "How long each service may take to become ready (default: ${DEFAULT-VALUE}).")
	int readyTimeoutSeconds;

	@Option(names = "--verbose", description = "Show every line the services log (default: warnings and errors).")
	boolean verbose;

	@Option(names = "--listen-all",
			description = "Listen on every network interface, not only on 127.0.0.1: anyone who reaches this machine can then mint dev tokens.")
	boolean listenAll;

	@Option(names = "--allow-admin-dev-tokens",
			description = "Let POST /api/dev/tokens grant the scope admin too (default: only events:all and metrics).")
	boolean adminDevTokens;

	@Option(names = "--quiet", description = "Show nothing of the services' logs (they are in .inloop/logs).")
	boolean quiet;

	@Option(names = "--status-mirror",
			description = "Mirror the status topic as JSON to inloop.job-status.json, for consumers outside the JVM (off by default: docs/wire-format.md).")
	boolean statusMirror;

	@Option(names = "--allowed-origin", split = ",", paramLabel = "<origin>",
			description = "A browser origin whose pages may call the API and open the notifier's streams, such as your dev server's http://localhost:5173 (repeatable; the stack's own pages always may).")
	List<String> allowedOrigins = new ArrayList<>();

	@Option(names = "--processes",
			description = "Run each service as a process of its own, as in production (default: all in this JVM, beside Kafka, each in a class loader of its own: half the memory, ready in half the time).")
	boolean processes;

	@Override
	public Integer call() throws InterruptedException {
		PrintWriter out = this.spec.commandLine().getOut();
		StackSettings settings = settings();
		@Nullable ServiceJars jars;
		try {
			jars = settings.services().isEmpty() ? null : ServiceJars.ofInloopHome();
		}
		catch (IllegalStateException ex) {
			return cannotStart(ex);
		}
		LocalStack stack = new LocalStack(settings, jars, out);
		Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "inloop-shutdown"));
		long began = System.nanoTime();
		try {
			stack.start();
		}
		catch (ServiceNotReadyException ex) {
			if (stack.isClosing()) {
				// Ctrl-C during start-up: the services exit because they were asked to.
				stack.awaitClosed();
				return FAILED;
			}
			PrintWriter err = this.spec.commandLine().getErr();
			err.println(ex.getMessage());
			ex.logTail().forEach((line) -> err.println("    " + line));
			err.flush();
			stack.close();
			return FAILED;
		}
		catch (RuntimeException ex) {
			stack.close();
			return cannotStart(ex);
		}
		Summary.print(out, settings, Duration.ofNanos(System.nanoTime() - began));
		stack.awaitClosed();
		return 0;
	}

	private int cannotStart(RuntimeException ex) {
		this.spec.commandLine().getErr().println("Cannot start: " + ex.getMessage());
		this.spec.commandLine().getErr().flush();
		return FAILED;
	}

	StackSettings settings() {
		if (this.brokers < 1 || this.brokers > Quorum.MAX_NODES) {
			throw new ParameterException(this.spec.commandLine(),
					"--brokers must be between 1 and " + Quorum.MAX_NODES + ", not " + this.brokers);
		}
		Path kafkaDir = (this.dataDir != null) ? this.dataDir : defaultDataDir(this.brokers);
		Quorum quorum = Quorum.consecutive(this.kafkaPort, this.brokers);
		List<ServiceInstance> selected = this.noServices ? List.of()
				: ServiceInstance.of(selectedServices(), count("--apis", this.apis), count("--workers", this.workers),
						count("--notifiers", this.notifiers));
		ConsoleEcho echo = this.quiet ? ConsoleEcho.NONE : this.verbose ? ConsoleEcho.ALL : ConsoleEcho.PROBLEMS;
		return new StackSettings(kafkaDir.toAbsolutePath().normalize(), quorum, this.partitions, selected, Duration.ofSeconds(this.readyTimeoutSeconds), echo,
				this.listenAll ? StackSettings.ALL_INTERFACES : StackSettings.LOOPBACK, devTokenScopes(), this.statusMirror,
				!this.processes, allowedOrigins());
	}

	/** Origins as a browser sends them: scheme, host and port if any; nothing else. */
	private List<String> allowedOrigins() {
		List<String> origins = new ArrayList<>();
		for (String given : this.allowedOrigins) {
			String origin = given.trim();
			if (!ORIGIN.matcher(origin).matches()) {
				throw new ParameterException(this.spec.commandLine(), "--allowed-origin takes an origin such as "
						+ "http://localhost:5173 (scheme, host, port; no path or trailing slash), not '" + given + "'");
			}
			origins.add(origin);
		}
		return origins;
	}

	private List<String> devTokenScopes() {
		List<String> scopes = new ArrayList<>(StackSettings.DEMO_SCOPES);
		if (this.adminDevTokens) {
			scopes.add("admin");
		}
		return scopes;
	}

	private List<InloopService> selectedServices() {
		try {
			return this.services.stream().map(String::trim).map(InloopService::ofModule).toList();
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterException(this.spec.commandLine(), ex.getMessage(), ex);
		}
	}

	private int count(String option, int count) {
		if (count < 1 || count > ServiceInstance.MAX_PER_SERVICE) {
			throw new ParameterException(this.spec.commandLine(),
					option + " must be between 1 and " + ServiceInstance.MAX_PER_SERVICE + ", not " + count);
		}
		return count;
	}

	// A cluster's nodes are formatted with its own id: never in the single broker's folder.
	private static Path defaultDataDir(int brokers) {
		return InloopHome.localStack().resolve((brokers == 1) ? "kafka" : "kafka-cluster");
	}

}
