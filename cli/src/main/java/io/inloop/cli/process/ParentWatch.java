package io.inloop.cli.process;

import java.util.Optional;

/**
 * A Java agent that ends the JVM it runs in when a given process (the one that started it) is
 * gone, so that a killed {@code inloop} leaves no services behind. Loaded with
 * {@code -javaagent:<jar>=<parent pid>}; uses nothing but the JDK, as it runs on the service's
 * class path.
 */
public final class ParentWatch {

	private ParentWatch() {
	}

	public static void premain(String parentPid) {
		Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(parentPid.trim()));
		if (parent.isEmpty()) {
			exit();
			return;
		}
		parent.get().onExit().thenRun(ParentWatch::exit);
	}

	private static void exit() {
		// Orderly exit: the service's shutdown hooks still close its Kafka clients.
		new Thread(() -> System.exit(143), "parent-gone").start();
	}

}
