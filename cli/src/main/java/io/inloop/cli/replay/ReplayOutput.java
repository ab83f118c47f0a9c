package io.inloop.cli.replay;

/** Where selected events go: stdout as NDJSON or a table, or another topic. */
interface ReplayOutput extends AutoCloseable {

	void write(ReplayedEvent event);

	/** After each poll, so that a following replay shows live events at once. */
	void flush();

	/** Finish writing; a copy waits here until Kafka has every record. */
	@Override
	void close();

}
