package io.inloop.cli.kafka;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where a record sits in its topic, written {@code "<partition>-<offset>"}: the notifier's cursor
 * for status events, and how dead letters are named on the command line.
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

	/** For picocli: a clear usage error instead of a conversion stack. */
	public static final class Converter implements ITypeConverter<Cursor> {

		@Override
		public Cursor convert(String value) {
			try {
				return parse(value);
			}
			catch (IllegalArgumentException ex) {
				throw new TypeConversionException(ex.getMessage());
			}
		}

	}

}
