package io.inloop.cli.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One of Inloop's services while it runs, as a child process ({@link ServiceProcess}) or in this
 * JVM ({@link ServiceInJvm}): its log, its readiness, and how it is stopped.
 */
public interface RunningService {

	/** How often {@link #awaitReady(URI, Duration)} asks. */
	Duration READINESS_POLL = Duration.ofMillis(200);

	String name();

	Path logFile();

	boolean isAlive();

	/** The last {@code lines} lines of its log (at most the last 500 are kept in memory). */
	List<String> logTail(int lines);

	/** Completes when the service has ended, however it ended. */
	CompletableFuture<? extends RunningService> onExit();

	/** How it ended, such as {@code exited with code 1}; only once it has. */
	String howItEnded();

	/** Ask the service to stop without waiting; pair with {@link #awaitStop(Duration)} to stop several at once. */
	void requestStop();

	/** Wait up to {@code grace} for the service to stop, then end it as abruptly as its kind allows. */
	void awaitStop(Duration grace);

	/**
	 * Wait until {@code health} answers HTTP 200.
	 * @throws ServiceNotReadyException if the service ends first or {@code timeout} passes
	 */
	default void awaitReady(URI health, Duration timeout) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build();
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			if (!isAlive()) {
				throw new ServiceNotReadyException(this, name() + " " + howItEnded() + " before it was ready");
			}
			if (answersOk(http, request)) {
				return;
			}
			if (Instant.now().isAfter(deadline)) {
				throw new ServiceNotReadyException(this,
						name() + " was not ready at " + health + " within " + timeout.toSeconds() + " s");
			}
			try {
				onExit().get(READINESS_POLL.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				// Still running (or ended: the next round says so).
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ServiceNotReadyException(this, "Interrupted while waiting for " + name());
			}
		}
	}

	private static boolean answersOk(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
