package io.inloop.cli.deadletters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.inloop.history.Cursor;
import io.inloop.cli.kafka.OutputFormat;
import io.inloop.schemas.SubmitJob;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Prints dead letters and re-submissions as NDJSON or a table. */
final class DeadLetterOutput {

	private static final String LIST_ROW = "%-9s  %-24s  %-36s  %-28s  %-30s  %s";

	private static final String RESUBMIT_ROW = "%-9s  %-36s  %-36s  %s";

	private final JsonMapper json = JsonMapper.builder().build();

	private final PrintWriter out;

	private final OutputFormat format;

	private boolean headerWritten;

	DeadLetterOutput(PrintWriter out, OutputFormat format) {
		this.out = out;
		this.format = format;
	}

	void listed(DeadLetter letter) {
		if (this.format == OutputFormat.NDJSON) {
			SubmitJob command = letter.command();
			line(this.json.writeValueAsString(new Listed(letter.cursor().toString(), letter.timestamp(), letter.job(),
					letter.originalTopic(), letter.originalPartition(), letter.originalOffset(), letter.exception(),
					letter.error(), letter.isReadable(),
					(command != null) ? new Command(command.getType(), command.getOwner(), command.getSubmittedAt(),
							command.getSubmittedBy()) : null,
					letter.unreadable())));
			return;
		}
		header(LIST_ROW, "CURSOR", "TIME", "JOB", "ORIGINAL", "COMMAND", "ERROR");
		SubmitJob command = letter.command();
		String readable = (command == null) ? "UNREADABLE" : command.getType() + " of " + command.getOwner()
				+ ((command.getSubmittedBy() != null) ? " by " + command.getSubmittedBy() : "");
		line(String.format(Locale.ROOT, LIST_ROW, letter.cursor(), letter.timestamp(), orDash(letter.job()), letter.origin(),
				readable, oneLine(letter.error())).stripTrailing());
	}

	/** @param newJob the id the job runs again under, or null for a value re-sent as it was */
	void resubmitted(DeadLetter letter, String topic, @Nullable String newJob, int partition, long offset) {
		if (this.format == OutputFormat.NDJSON) {
			line(this.json.writeValueAsString(
					new Resubmitted(letter.cursor().toString(), letter.job(), newJob, topic, partition, offset)));
			return;
		}
		header(RESUBMIT_ROW, "CURSOR", "JOB", "NEW JOB", "RESUBMITTED TO");
		line(String.format(Locale.ROOT, RESUBMIT_ROW, letter.cursor(), orDash(letter.job()), orDash(newJob),
				topic + " " + new Cursor(partition, offset)));
	}

	void flush() {
		this.out.flush();
	}

	private void header(String row, String... columns) {
		if (!this.headerWritten) {
			this.headerWritten = true;
			line(String.format(Locale.ROOT, row, (Object[]) columns).stripTrailing());
		}
	}

	private void line(String line) {
		this.out.write(line);
		this.out.write('\n');
	}

	private static String orDash(@Nullable String text) {
		return (text != null) ? text : "-";
	}

	private static String oneLine(@Nullable String text) {
		return (text != null) ? text.replace('\n', ' ') : "-";
	}

	/** A dead letter as one JSON line; the component order is the order on the line. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Listed(String cursor, Instant timestamp, @Nullable String job, @Nullable String originalTopic,
			@Nullable Integer originalPartition, @Nullable Long originalOffset, @Nullable String exception,
			@Nullable String error, boolean readable, @Nullable Command command, @Nullable String unreadable) {
	}

	/** @param submittedBy the service that submitted it for its owner (scope jobs:submit-for), if one did */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Command(String type, String owner, Instant submittedAt, @Nullable String submittedBy) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Resubmitted(String cursor, @Nullable String job, @Nullable String newJob, String topic, int partition, long offset) {
	}

}
