package io.inloop.cli.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line bar on stderr while a replay reads history: records scanned of records to scan.
 * Redrawn at most ten times a second and erased when the scan has caught up, so stdout stays data only.
 */
final class ProgressBar {

	private static final int WIDTH = 30;

	private static final long REDRAW_NANOS = 100_000_000L;

	private final PrintWriter err;

	private long lastDrawn;

	private boolean drawn;

	private boolean done;

	ProgressBar(PrintWriter err) {
		this.err = err;
	}

	void show(long scanned, long total) {
		long now = System.nanoTime();
		if (this.done || total <= 0 || (this.drawn && now - this.lastDrawn < REDRAW_NANOS)) {
			return;
		}
		int filled = (int) (WIDTH * Math.min(scanned, total) / total);
		this.err.write(String.format(Locale.ROOT, "\rscanning [%s%s] %,d / %,d records", "#".repeat(filled),
				" ".repeat(WIDTH - filled), scanned, total));
		this.err.flush();
		this.drawn = true;
		this.lastDrawn = now;
	}

	void finish() {
		if (this.drawn && !this.done) {
			this.err.write("\r" + " ".repeat(WIDTH + 60) + "\r");
			this.err.flush();
		}
		this.done = true;
	}

	/**
	 * Whether stderr is a terminal. Java 17 cannot ask that of stderr alone ({@code System.console()}
	 * is null whenever stdout is redirected, the usual case here), so look at what fd 2 is on Linux.
	 */
	static boolean stderrIsTerminal() {
		try {
			String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
			return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			return System.console() != null;
		}
	}

}
