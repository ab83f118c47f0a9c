package io.inloop.cli.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Follows a service's log file, which the service writes itself (nothing is lost if this JVM
 * dies), passing each line to a listener and keeping the last 500 in memory for error messages.
 * It reads until the service has ended and the file holds nothing more.
 */
final class LogFollower {

	/** How a follower learns that nothing more will be written: waits up to the given time for the end. */
	@FunctionalInterface
	interface End {

		/** {@code true} once the writer has ended; may wait up to {@code wait} before answering {@code false}. */
		boolean awaitEnd(Duration wait) throws InterruptedException;

	}

	private static final int KEPT_LINES = 500;

	/**
	 * How soon a quiet log is read again: what a service wrote shows in its tail within 50 ms, which
	 * callers rely on (a service ready has logged that it is). Backing off to 1 s at rest broke that.
	 */
	private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(50);

	private final Path logFile;

	private final Deque<String> lastLines = new ArrayDeque<>();

	private final Thread thread;

	LogFollower(String name, Path logFile, End end, Consumer<String> lineListener) {
		this.logFile = logFile;
		this.thread = new Thread(() -> follow(end, lineListener), name + "-log");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void follow(End end, Consumer<String> lineListener) {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		boolean ended = false;
		try {
			while (true) {
				// A service that rolls its log (Spring Boot's file appender, at 10 MB) starts a new file: follow it.
				@Nullable Object file = fileKey();
				try (InputStream log = Files.newInputStream(this.logFile)) {
					while (true) {
						drain(log, buffer, line, lineListener);
						if (ended) {
							if (line.size() > 0) {
								emit(line, lineListener);
							}
							return;
						}
						// One more read after the end: what was written just before it.
						ended = end.awaitEnd(FOLLOW_INTERVAL);
						if (!ended && !Objects.equals(file, fileKey())) {
							drain(log, buffer, line, lineListener);
							break;
						}
					}
				}
			}
		}
		catch (IOException ex) {
			remember("[inloop] cannot follow " + this.logFile + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private @Nullable Object fileKey() {
		try {
			return Files.readAttributes(this.logFile, BasicFileAttributes.class).fileKey();
		}
		catch (IOException ex) {
			return null;
		}
	}

	// Everything written so far, line by line; a last line without its newline waits in {@code line}.
	private void drain(InputStream log, byte[] buffer, ByteArrayOutputStream line, Consumer<String> lineListener)
			throws IOException {
		int read;
		while ((read = log.read(buffer)) > 0) {
			split(buffer, read, line, lineListener);
		}
	}

	private void split(byte[] buffer, int read, ByteArrayOutputStream line, Consumer<String> lineListener) {
		for (int i = 0; i < read; i++) {
			if (buffer[i] == '\n') {
				emit(line, lineListener);
			}
			else {
				line.write(buffer[i]);
			}
		}
	}

	private void emit(ByteArrayOutputStream bytes, Consumer<String> lineListener) {
		String line = bytes.toString(StandardCharsets.UTF_8);
		bytes.reset();
		if (line.endsWith("\r")) {
			line = line.substring(0, line.length() - 1);
		}
		remember(line);
		lineListener.accept(line);
	}

	private void remember(String line) {
		synchronized (this.lastLines) {
			if (this.lastLines.size() == KEPT_LINES) {
				this.lastLines.removeFirst();
			}
			this.lastLines.addLast(line);
		}
	}

	/** The last {@code lines} lines read (at most the last 500 are kept). */
	List<String> tail(int lines) {
		synchronized (this.lastLines) {
			List<String> all = new ArrayList<>(this.lastLines);
			return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
		}
	}

	/** Wait up to 2 s for the last lines of a service that has just ended. */
	void awaitLastLines() {
		try {
			this.thread.join(Duration.ofSeconds(2).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
