package io.inloop.cli.process;

import java.util.List;

/** A service that exited or did not become ready in time; carries the end of its output. */
public class ServiceNotReadyException extends RuntimeException {

	private final transient List<String> logTail;

	public ServiceNotReadyException(RunningService service, String message) {
		super(message + " (log: " + service.logFile() + ")");
		this.logTail = service.logTail(40);
	}

	/** The last lines the service wrote before this was thrown. */
	public List<String> logTail() {
		return this.logTail;
	}

}
