package io.inloop.cli.start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.inloop.cli.broker.Quorum;

/**
 * What {@link LocalStack} runs.
 * @param kafkaDir the broker's log directory (a cluster's: its nodes' directories); its parent also
 * holds {@code logs/} and the JWT key pair
 * @param quorum the Kafka node, or the nodes of a local cluster, and their ports
 * @param partitions partitions of each Inloop topic
 * @param services the services' processes to start, possibly none
 * @param readyTimeout how long each service may take to become ready
 * @param echo which lines of the services' output go to the console
 * @param listenAddress where the services' HTTP and RSocket ports listen: {@link #LOOPBACK} unless asked
 * @param devTokenScopes the scopes {@code POST /api/dev/tokens} may grant
 * @param statusMirror whether api-service mirrors the status topic as JSON ({@code inloop.status-mirror.enabled})
 * @param inOneJvm whether the services run in the stack's JVM, beside the broker, rather than as processes
 * @param allowedOrigins browser origins allowed to call the API and open the notifier's streams
 * besides the stack's own pages (a developer's dev server, say)
 */
record StackSettings(Path kafkaDir, Quorum quorum, int partitions, List<ServiceInstance> services,
		Duration readyTimeout, ConsoleEcho echo, String listenAddress, List<String> devTokenScopes,
		boolean statusMirror, boolean inOneJvm, List<String> allowedOrigins) {

	/** By default nothing of the local stack (dev tokens above all) is reachable from another machine. */
	static final String LOOPBACK = "127.0.0.1";

	static final String ALL_INTERFACES = "0.0.0.0";

	/** What a local demo and the benchmarks need; {@code admin} only when asked for. */
	static final List<String> DEMO_SCOPES = List.of("events:all", "metrics");

	/** What {@code instance} is told beyond the service's own configuration. */
	List<String> argumentsFor(ServiceInstance instance) {
		List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=local",
				"--spring.kafka.bootstrap-servers=" + this.quorum.bootstrapServers(), "--server.address=" + this.listenAddress));
		if (instance.rsocketPort() > 0) {
			arguments.add("--spring.rsocket.server.address=" + this.listenAddress);
		}
		if (instance.service() == InloopService.NOTIFIER) {
			arguments.add("--inloop.notifier.connections.allowed-origins=" + String.join(",", browserOrigins()));
		}
		if (instance.service() == InloopService.API) {
			arguments.add("--inloop.api.cors.allowed-origins=" + String.join(",", browserOrigins()));
			arguments.add("--inloop.dev-tokens.allowed-scopes=" + String.join(",", this.devTokenScopes));
			arguments.add("--inloop.topics.replication-factor=" + this.quorum.replicationFactor());
			// The ledger's local state belongs to this stack's broker and to this instance: each has its own.
			arguments.add("--spring.kafka.streams.state-dir=" + home().resolve("state").resolve(instance.name()));
			// Each instance a member of the ledger's group of its own, which its peers reach to forward a query.
			arguments.add("--inloop.ledger.membership.instance-id=" + instance.name());
			arguments.add("--inloop.ledger.advertised-address=" + advertisedHost() + ":" + instance.httpPort());
			if (this.statusMirror) {
				arguments.add("--inloop.status-mirror.enabled=true");
			}
		}
		arguments.addAll(instance.arguments());
		return arguments;
	}

	/**
	 * The origins of the stack's own pages (the notifier's demo, which calls the API; the API's
	 * dashboard), by either local name, then those asked for.
	 */
	List<String> browserOrigins() {
		List<String> origins = new ArrayList<>();
		for (ServiceInstance instance : this.services) {
			if (instance.service() == InloopService.NOTIFIER || instance.service() == InloopService.API) {
				origins.add("http://localhost:" + instance.httpPort());
				origins.add("http://127.0.0.1:" + instance.httpPort());
			}
		}
		origins.addAll(this.allowedOrigins);
		return origins;
	}

	// Where the other instances reach this one: itself on loopback, else this machine's name.
	private String advertisedHost() {
		if (LOOPBACK.equals(this.listenAddress)) {
			return LOOPBACK;
		}
		try {
			return java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (java.net.UnknownHostException ex) {
			return LOOPBACK;
		}
	}

	boolean runs(InloopService service) {
		return this.services.stream().anyMatch((instance) -> instance.service() == service);
	}

	List<ServiceInstance> instancesOf(InloopService service) {
		return this.services.stream().filter((instance) -> instance.service() == service).toList();
	}

	/** The folder of everything the local stack keeps: {@code .inloop} by default. */
	Path home() {
		Path parent = this.kafkaDir.toAbsolutePath().normalize().getParent();
		return (parent != null) ? parent : this.kafkaDir.toAbsolutePath();
	}

	/** Where the services' jars are extracted to run in the stack's JVM. */
	Path extractedJars() {
		return home().resolve("jars");
	}

	Path logs() {
		return home().resolve("logs");
	}

	JwtKeyPair jwtKeys() {
		return JwtKeyPair.loadOrCreate(home());
	}

}
