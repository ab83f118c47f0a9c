package io.inloop.cli.replay;

import java.io.PrintWriter;
import java.util.Locale;

import io.inloop.schemas.JobProgress;
import io.inloop.schemas.JobStatusChanged;
import org.jspecify.annotations.Nullable;

/** Aligned columns for reading in a terminal; long owners and types are shortened, the message is last. */
final class TableOutput implements ReplayOutput {

	private static final String ROW = "%-24s  %-9s  %-36s  %-16s  %-16s  %-9s  %-8s  %s";

	private final PrintWriter out;

	TableOutput(PrintWriter out) {
		this.out = out;
		line("TIME", "CURSOR", "JOB", "OWNER", "TYPE", "STATE", "PROGRESS", "MESSAGE");
	}

	@Override
	public void write(ReplayedEvent replayed) {
		JobStatusChanged event = replayed.event();
		line(replayed.timestamp().toString(), replayed.cursor().toString(), event.getJobId(), shorten(event.getOwner()),
				shorten(event.getType()), event.getState().name(), progress(event.getProgress()),
				message(event));
	}

	private void line(String... columns) {
		this.out.write(String.format(Locale.ROOT, ROW, (Object[]) columns).stripTrailing());
		this.out.write('\n');
	}

	private static String progress(JobProgress progress) {
		if (progress.getTotal() <= 0) {
			return (progress.getDone() > 0) ? Long.toString(progress.getDone()) : "-";
		}
		return progress.getDone() + "/" + progress.getTotal();
	}

	private static String message(JobStatusChanged event) {
		@Nullable String message = event.getMessage();
		if (event.getError() != null) {
			String error = event.getError().getCode() + ": " + event.getError().getMessage();
			return (message != null) ? message + " (" + error + ")" : error;
		}
		return (message != null) ? message.replace('\n', ' ') : "";
	}

	private static String shorten(String text) {
		return (text.length() <= 16) ? text : text.substring(0, 15) + "…";
	}

	@Override
	public void flush() {
		this.out.flush();
	}

	@Override
	public void close() {
		this.out.flush();
	}

}
