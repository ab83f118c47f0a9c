package io.inloop.cli.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class ServiceProcessTests {

	private static final Duration READY = Duration.ofSeconds(20);

	@TempDir
	Path logs;

	private final List<ServiceProcess> started = new CopyOnWriteArrayList<>();

	@AfterEach
	void killLeftovers() {
		this.started.forEach(ServiceProcess::kill);
	}

	@Test
	void capturesOutputToFileAndListenerAndStopsGracefully() throws IOException {
		int port = freePort();
		List<String> heard = new CopyOnWriteArrayList<>();
		ServiceProcess echo = start(ServiceProcess.builder("echo")
			.mainClass(classPath(), EchoService.class.getName())
			.arguments(Integer.toString(port))
			.environment("ECHO_SECRET", "s3cret")
			.logFile(this.logs.resolve("logs/echo.log"))
			.onLine(heard::add));
		echo.awaitReady(ready(port), READY);
		assertThat(echo.logTail(10)).contains("hello from echo, secret s3cret", "listening");
		assertThat(heard).contains("listening");
		echo.stop(Duration.ofSeconds(10));
		assertThat(echo.exitCode()).hasValue(143);
		assertThat(echo.logTail(1)).containsExactly("stopping gracefully");
		assertThat(Files.readAllLines(echo.logFile())).contains("hello from echo, secret s3cret", "stopping gracefully");
	}

	@Test
	void killEndsTheProcessWithoutItsShutdownHooks() {
		int port = freePort();
		ServiceProcess echo = start(ServiceProcess.builder("echo")
			.mainClass(classPath(), EchoService.class.getName())
			.arguments(Integer.toString(port)));
		echo.awaitReady(ready(port), READY);
		echo.kill();
		assertThat(echo.isAlive()).isFalse();
		assertThat(echo.exitCode()).hasValue(137);
		assertThat(echo.logTail(10)).doesNotContain("stopping gracefully");
	}

	@Test
	void awaitReadyFailsFastWithTheLogTailWhenTheProcessExits() {
		ServiceProcess failing = start(ServiceProcess.builder("failing")
			.mainClass(classPath(), EchoService.class.getName())
			.arguments("fail"));
		assertThatExceptionOfType(ServiceNotReadyException.class)
			.isThrownBy(() -> failing.awaitReady(ready(freePort()), READY))
			.withMessageContaining("failing exited with code 3 before it was ready")
			.satisfies((ex) -> assertThat(ex.logTail()).contains("boom: cannot start"));
	}

	@Test
	void awaitReadyGivesUpAfterTheTimeout() {
		ServiceProcess deaf = start(ServiceProcess.builder("deaf")
			.mainClass(classPath(), EchoService.class.getName())
			.arguments(Integer.toString(freePort())));
		assertThatExceptionOfType(ServiceNotReadyException.class)
			.isThrownBy(() -> deaf.awaitReady(ready(freePort()), Duration.ofMillis(500)))
			.withMessageContaining("deaf was not ready at");
		assertThat(deaf.isAlive()).isTrue();
	}

	@Test
	void childExitsWhenItsParentIsKilled() {
		ServiceProcess parent = start(ServiceProcess.builder("parent")
			.mainClass(classPath(), OrphanMaker.class.getName())
			.arguments(Integer.toString(freePort())));
		await().atMost(READY).until(() -> parent.logTail(5).stream().anyMatch((line) -> line.startsWith("child-pid=")));
		long childPid = parent.logTail(5)
			.stream()
			.filter((line) -> line.startsWith("child-pid="))
			.map((line) -> Long.parseLong(line.substring("child-pid=".length())))
			.findFirst()
			.orElseThrow();
		Optional<ProcessHandle> child = ProcessHandle.of(childPid);
		assertThat(child).isPresent();
		parent.kill();
		await().atMost(READY).until(() -> !child.get().isAlive());
	}

	private ServiceProcess start(ServiceProcess.Builder builder) {
		ServiceProcess process = builder.start();
		this.started.add(process);
		return process;
	}

	private static String classPath() {
		return System.getProperty("java.class.path");
	}

	private static URI ready(int port) {
		return URI.create("http://localhost:" + port + "/ready");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
