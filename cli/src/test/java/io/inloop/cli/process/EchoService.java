package io.inloop.cli.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in service for tests: prints a greeting, answers 200 on {@code /ready} at the port
 * given as first argument, and says goodbye when asked to stop. With {@code fail} it exits at once.
 */
public final class EchoService {

	private EchoService() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		System.out.println("hello from echo, secret " + System.getenv("ECHO_SECRET"));
		if (args[0].equals("fail")) {
			System.err.println("boom: cannot start");
			System.exit(3);
		}
		HttpServer server = HttpServer.create(new InetSocketAddress("localhost", Integer.parseInt(args[0])), 0);
		server.createContext("/ready", (exchange) -> {
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping gracefully")));
		System.out.println("listening");
		new CountDownLatch(1).await();
	}

}
