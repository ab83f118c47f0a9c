package io.inloop.cli.process;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.jar.JarFile;

import org.jspecify.annotations.Nullable;

/**
 * A Spring Boot service run in this JVM instead of a process of its own: its jar as extracted by
 * {@link ExtractedJar}, in a class loader whose parent is the platform class loader, so that it
 * sees none of this JVM's classes (the Kafka broker's above all) and no other service's. It is
 * started through {@code SpringApplication.run} on a thread of its own, writes its log to its own
 * file (nothing to the console), and is stopped by closing its application context, which shuts
 * it down as gracefully as SIGTERM shuts down its process.
 *
 * <p>What services in one JVM share: the heap and its collector, the JIT, and system properties
 * (only JVM-wide settings, such as {@code reactor.netty.ioWorkerCount}, belong there). Everything
 * a service is told goes in its arguments.
 */
public final class ServiceInJvm implements RunningService {

	private static final String SPRING_APPLICATION = "org.springframework.boot.SpringApplication";

	/**
	 * What every service in this JVM is told beyond its own arguments: its log to its file only,
	 * no banner on this JVM's console, and no shutdown hooks of its own: the stack stops the
	 * services before the broker they need to stop gracefully, and their own hooks would race it
	 * (the logging system's would stop the log before the service's last lines).
	 */
	private static final List<String> IN_JVM_ARGUMENTS = List.of("--logging.threshold.console=OFF",
			"--spring.main.banner-mode=off", "--spring.main.register-shutdown-hook=false",
			"--logging.register-shutdown-hook=false");

	private final String name;

	private final Path logFile;

	private final LogFollower log;

	private final CompletableFuture<ServiceInJvm> ended = new CompletableFuture<>();

	private final Thread main;

	private @Nullable Closeable context;

	private @Nullable Throwable failure;

	private boolean stopRequested;

	private ServiceInJvm(String name, URLClassLoader loader, String mainClass, List<String> arguments, Path logFile,
			Consumer<String> lineListener) {
		this.name = name;
		this.logFile = logFile;
		this.main = new Thread(() -> run(loader, mainClass, arguments), name + "-main");
		this.main.setContextClassLoader(loader);
		this.log = new LogFollower(name, logFile, (wait) -> awaitEnd(wait), lineListener);
	}

	/**
	 * Start {@code jar} (an extracted application jar, its libraries on its manifest's
	 * {@code Class-Path}) with {@code arguments}, its log in {@code logFile} (overwritten), every
	 * line of which goes to {@code lineListener} too.
	 */
	public static ServiceInJvm start(String name, Path jar, List<String> arguments, Path logFile,
			Consumer<String> lineListener) {
		try {
			Files.createDirectories(logFile.toAbsolutePath().getParent());
			Files.write(logFile, new byte[0]);
			URLClassLoader loader = new URLClassLoader(name, new URL[] { jar.toUri().toURL() },
					ClassLoader.getPlatformClassLoader());
			List<String> all = new ArrayList<>(arguments);
			all.add("--logging.file.name=" + logFile.toAbsolutePath());
			all.addAll(IN_JVM_ARGUMENTS);
			ServiceInJvm service = new ServiceInJvm(name, loader, mainClassOf(jar), all, logFile, lineListener);
			service.main.start();
			return service;
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException("Cannot load " + jar, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name + " from " + jar, ex);
		}
	}

	private static String mainClassOf(Path jar) throws IOException {
		try (JarFile file = new JarFile(jar.toFile())) {
			String mainClass = (file.getManifest() != null) ? file.getManifest().getMainAttributes().getValue("Main-Class")
					: null;
			if (mainClass == null) {
				throw new IllegalArgumentException(jar + " names no Main-Class: not a jar extracted by ExtractedJar");
			}
			return mainClass;
		}
	}

	// On the service's own thread, its class loader as the context class loader (as its process' main thread).
	private void run(URLClassLoader loader, String mainClass, List<String> arguments) {
		try {
			Class<?> application = Class.forName(mainClass, false, loader);
			Class<?> springApplication = Class.forName(SPRING_APPLICATION, true, loader);
			Object started = springApplication.getMethod("run", Class.class, String[].class)
				.invoke(null, application, (Object) arguments.toArray(String[]::new));
			boolean stopNow;
			synchronized (this) {
				// ConfigurableApplicationContext is a Closeable: close() stops it as SIGTERM would.
				this.context = (Closeable) started;
				stopNow = this.stopRequested;
			}
			if (stopNow) {
				close((Closeable) started);
			}
		}
		catch (InvocationTargetException ex) {
			failed(ex.getCause());
		}
		catch (ReflectiveOperationException | LinkageError | ClassCastException ex) {
			failed(ex);
		}
	}

	private void failed(Throwable cause) {
		synchronized (this) {
			this.failure = cause;
		}
		// Spring Boot has logged why, when it got as far as its logging: this says it in any case.
		try {
			Files.writeString(this.logFile, "[inloop] " + this.name + " did not start: " + cause + System.lineSeparator(),
					StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			// The exception below still carries it.
		}
		this.ended.complete(this);
	}

	private void close(Closeable started) {
		try {
			started.close();
		}
		catch (IOException | RuntimeException ex) {
			synchronized (this) {
				this.failure = ex;
			}
		}
		finally {
			this.ended.complete(this);
		}
	}

	private boolean awaitEnd(Duration wait) throws InterruptedException {
		try {
			this.ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Path logFile() {
		return this.logFile;
	}

	@Override
	public boolean isAlive() {
		return !this.ended.isDone();
	}

	@Override
	public List<String> logTail(int lines) {
		return this.log.tail(lines);
	}

	@Override
	public CompletableFuture<ServiceInJvm> onExit() {
		return this.ended.thenApply((service) -> this);
	}

	@Override
	public String howItEnded() {
		this.log.awaitLastLines();
		synchronized (this) {
			if (this.failure != null) {
				return (this.context == null) ? "did not start: " + this.failure : "stopped with " + this.failure;
			}
			return "stopped";
		}
	}

	/** Close its application context on a thread of its own; a service still starting is closed once started. */
	@Override
	public void requestStop() {
		Closeable started;
		synchronized (this) {
			this.stopRequested = true;
			started = this.context;
		}
		if (started != null && !this.ended.isDone()) {
			Thread stopper = new Thread(() -> close(started), this.name + "-stop");
			stopper.start();
		}
	}

	/**
	 * Wait up to {@code grace} for it to stop. A service in this JVM cannot be killed: one that has
	 * not stopped by then is left to this JVM's exit.
	 */
	@Override
	public void awaitStop(Duration grace) {
		try {
			// Not ended by then: left to the JVM's exit.
			awaitEnd(grace);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.log.awaitLastLines();
	}

	@Override
	public String toString() {
		return this.name + " (in this JVM)";
	}

}
