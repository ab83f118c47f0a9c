package io.inloop.cli.kafka;

import io.inloop.history.Cursor;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** For picocli: a cursor argument that is not one is a clear usage error, not a conversion stack. */
public final class CursorConverter implements ITypeConverter<Cursor> {

	@Override
	public Cursor convert(String value) {
		try {
			return Cursor.parse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException(ex.getMessage());
		}
	}

}
