package io.inloop.cli.start;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** What a developer needs once the stack is up: where everything is and how to get a token. */
final class Summary {

	private Summary() {
	}

	static void print(PrintWriter out, StackSettings settings, Duration startup) {
		out.println();
		out.printf(Locale.ROOT, "Inloop is ready in %.1f s%n", startup.toMillis() / 1000.0);
		out.printf("  Kafka              localhost:%d%n", settings.kafkaPort());
		if (settings.services().contains(InloopService.API)) {
			out.println("  API                http://localhost:8080");
		}
		if (settings.services().contains(InloopService.NOTIFIER)) {
			out.println("  Demo page          http://localhost:8090");
			out.println("  WebSocket          ws://localhost:8090/ws");
		}
		if (settings.services().contains(InloopService.WORKER)) {
			out.println("  Worker health      http://localhost:8070/actuator/health");
		}
		out.printf("  Logs               %s%n", settings.logs());
		if (settings.services().contains(InloopService.API)) {
			out.println();
			out.println("A dev token:");
			out.println("  curl -s -X POST localhost:8080/api/dev/tokens -H 'Content-Type: application/json' -d '{\"user\":\"alice\"}'");
		}
		out.println();
		out.println("Press Ctrl-C to stop.");
		out.flush();
	}

}
