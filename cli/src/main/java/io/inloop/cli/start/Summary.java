package io.inloop.cli.start;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What a developer needs once the stack is up: where everything is and how to get a token. */
final class Summary {

	private Summary() {
	}

	static void print(PrintWriter out, StackSettings settings, Duration startup) {
		out.println();
		out.printf(Locale.ROOT, "Inloop is ready in %.1f s%n", startup.toMillis() / 1000.0);
		out.printf("  Kafka              %s%n", (settings.quorum().size() == 1) ? settings.quorum().bootstrapServers()
				: settings.quorum().bootstrapServers() + " (" + settings.quorum().size() + " nodes, "
						+ settings.quorum().replicationFactor() + " copies, " + settings.quorum().minInSyncReplicas() + " in sync)");
		List<ServiceInstance> apis = settings.instancesOf(InloopService.API);
		for (ServiceInstance api : apis) {
			out.printf("  %-18s http://localhost:%d%n", (apis.size() == 1) ? "API" : api.name(), api.httpPort());
		}
		List<ServiceInstance> notifiers = settings.instancesOf(InloopService.NOTIFIER);
		if (!notifiers.isEmpty()) {
			out.printf("  Demo page          http://localhost:%d%n", notifiers.get(0).httpPort());
		}
		for (ServiceInstance notifier : notifiers) {
			out.printf("  %-18s ws://localhost:%d/ws, RSocket localhost:%d%n",
					(notifiers.size() == 1) ? "WebSocket" : notifier.name(), notifier.httpPort(), notifier.rsocketPort());
		}
		List<ServiceInstance> workers = settings.instancesOf(InloopService.WORKER);
		for (ServiceInstance worker : workers) {
			out.printf("  %-18s http://localhost:%d/actuator/health%n",
					(workers.size() == 1) ? "Worker health" : worker.name(), worker.httpPort());
		}
		out.printf("  Logs               %s%n", settings.logs());
		out.printf("  Listening on       %s%n", StackSettings.LOOPBACK.equals(settings.listenAddress())
				? "127.0.0.1 only (--listen-all to open the ports to the network)" : "every interface (--listen-all)");
		if (settings.runs(InloopService.API)) {
			out.println();
			out.println("A dev token:");
			out.println("  curl -s -X POST localhost:8080/api/dev/tokens -H 'Content-Type: application/json' -d '{\"user\":\"alice\"}'");
		}
		out.println();
		out.println("Press Ctrl-C to stop.");
		out.flush();
	}

}
