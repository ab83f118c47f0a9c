package io.inloop.history;

/**
 * A position in the status topic, written {@code "<partition>-<offset>"}: where a frame came from
 * and where a client resumes. All of one user's events sit in one partition, so their cursors are
 * ordered.
 */
public record Cursor(int partition, long offset) {

	public Cursor {
		if (partition < 0 || offset < 0) {
			throw new IllegalArgumentException("Partition and offset must not be negative");
		}
	}

	/** Reads the {@link #toString() written form}. */
	public static Cursor parse(String text) {
		int dash = text.indexOf('-');
		if (dash <= 0 || dash == text.length() - 1) {
			throw new IllegalArgumentException("Not a cursor (<partition>-<offset>): '" + text + "'");
		}
		try {
			return new Cursor(Integer.parseInt(text, 0, dash, 10), Long.parseLong(text, dash + 1, text.length(), 10));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a cursor (<partition>-<offset>): '" + text + "'", ex);
		}
	}

	@Override
	public String toString() {
		return this.partition + "-" + this.offset;
	}

}
