package io.inloop.cli.replay;

import java.io.PrintWriter;
import java.time.Instant;

import io.inloop.schemas.JobView;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON object per event, the notifier's {@code job} frame (docs/protocol.md) plus the record's
 * timestamp: {@code {"type":"job","cursor":"2-1041","timestamp":"...","job":{...}}}.
 */
final class NdjsonOutput implements ReplayOutput {

	// Our own mapper, as the notifier's: the shape is a protocol.
	private final JsonMapper json = JsonMapper.builder().build();

	private final PrintWriter out;

	NdjsonOutput(PrintWriter out) {
		this.out = out;
	}

	@Override
	public void write(ReplayedEvent event) {
		this.out.write(this.json.writeValueAsString(
				new Line("job", event.cursor().toString(), event.timestamp(), JobView.of(event.event()))));
		this.out.write('\n');
	}

	@Override
	public void flush() {
		this.out.flush();
	}

	@Override
	public void close() {
		this.out.flush();
	}

	/** The component order is the order on the line. */
	record Line(String type, String cursor, Instant timestamp, JobView job) {
	}

}
