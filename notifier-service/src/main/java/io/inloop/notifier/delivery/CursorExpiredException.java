package io.inloop.notifier.delivery;

import io.inloop.history.Cursor;
/** The events after a cursor are no longer in the topic (retention or deleted records). */
public class CursorExpiredException extends RuntimeException {

	public CursorExpiredException(Cursor cursor, long logStartOffset) {
		super("Events after " + cursor + " are gone; partition " + cursor.partition() + " starts at " + logStartOffset);
	}

}
