package io.inloop.bench.report;

/**
 * What the bench was asked cannot be done as asked (a file missing, no stack found, a port taken):
 * the message says why and what to do, and is printed without a stack trace.
 */
public final class CannotRun extends RuntimeException {

	public CannotRun(String message) {
		super(message);
	}

}
