package io.inloop.cli.process;

import java.util.List;

/** A service that exited or did not become ready in time; carries the end of its output. */
public class ServiceNotReadyException extends RuntimeException {

	private final transient List<String> logTail;

	ServiceNotReadyException(ServiceProcess process, String message) {
		super(message + " (log: " + process.logFile() + ")");
		this.logTail = process.logTail(40);
	}

	/** The last lines the service wrote before this was thrown. */
	public List<String> logTail() {
		return this.logTail;
	}

}
