package io.inloop.bench.processes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where the processes of a stack are on this machine. Each stack has a root found by its command
 * line, and every process under it belongs to the stack, whatever it runs.
 */
public enum StackLayout {

	/**
	 * {@code ./inloop start}: the {@code cli-*-exec.jar ... start} JVM (the Kafka broker and, unless
	 * started with {@code --processes}, the services run in it) and the service JVMs it started.
	 * Service JVMs of anything else (a test run's, say) are not the stack under test, on a machine
	 * shared with other builds.
	 */
	INLOOP("an Inloop stack (a java process running cli-*-exec.jar start)", "./inloop start") {

		@Override
		List<ProcessHandle> roots(List<ProcessHandle> all) {
			return all.stream().filter(runs(StackLayout::isInloopStart)).toList();
		}

	},

	/**
	 * {@code bench/peers/bullmq/run.sh}: Redis and the Node server and worker it started, found from
	 * the Node processes running the peer's scripts.
	 */
	BULLMQ_PEER("the BullMQ peer (node running peers/bullmq/server.js or worker.js)", "bench/peers/bullmq/run.sh") {

		@Override
		List<ProcessHandle> roots(List<ProcessHandle> all) {
			List<ProcessHandle> scripts = all.stream().filter(runs(StackLayout::isPeerScript)).toList();
			// run.sh, their parent, started Redis too; without it, the scripts alone.
			List<ProcessHandle> parents = scripts.stream()
				.map((script) -> script.parent().orElse(script))
				.filter((parent) -> parent.info().command().map((command) -> command.endsWith("sh")).orElse(false))
				.distinct()
				.toList();
			return parents.isEmpty() ? scripts : parents;
		}

		@Override
		boolean counts(ProcessHandle root) {
			// run.sh only waits for its children.
			return !root.info().command().map((command) -> command.endsWith("sh")).orElse(false);
		}

	};

	private final String description;

	private final String startCommand;

	StackLayout(String description, String startCommand) {
		this.description = description;
		this.startCommand = startCommand;
	}

	/** What the bench looks for, for an error message when nothing is found. */
	public String description() {
		return this.description;
	}

	public String startCommand() {
		return this.startCommand;
	}

	abstract List<ProcessHandle> roots(List<ProcessHandle> all);

	/** Whether a root is measured itself, or only what runs under it. */
	boolean counts(ProcessHandle root) {
		return true;
	}

	/** The stack's processes now, roots first, each once; empty when none is running. */
	public List<StackProcess> find() {
		long self = ProcessHandle.current().pid();
		List<ProcessHandle> all;
		try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
			all = processes.filter((process) -> process.pid() != self).toList();
		}
		Map<Long, ProcessHandle> members = new LinkedHashMap<>();
		for (ProcessHandle root : roots(all)) {
			if (counts(root)) {
				members.putIfAbsent(root.pid(), root);
			}
			root.descendants()
				.filter((process) -> process.pid() != self)
				.sorted(Comparator.comparingLong(ProcessHandle::pid))
				.forEach((process) -> members.putIfAbsent(process.pid(), process));
		}
		List<StackProcess> found = new ArrayList<>();
		for (ProcessHandle process : members.values()) {
			if (process.isAlive()) {
				found.add(StackProcess.of(process));
			}
		}
		return found;
	}

	private static Predicate<ProcessHandle> runs(Predicate<List<String>> commandLine) {
		return (process) -> {
			Optional<String[]> arguments = process.info().arguments();
			return arguments.isPresent() && commandLine.test(Arrays.asList(arguments.get()));
		};
	}

	static boolean isInloopStart(List<String> arguments) {
		int jar = arguments.indexOf("-jar");
		return jar >= 0 && jar + 1 < arguments.size() && fileName(arguments.get(jar + 1)).matches("cli-.*\\.jar")
				&& arguments.subList(jar + 2, arguments.size()).contains("start");
	}

	static boolean isPeerScript(List<String> arguments) {
		return arguments.stream()
			.anyMatch((argument) -> argument.endsWith("peers/bullmq/server.js") || argument.endsWith("peers/bullmq/worker.js"));
	}

	private static String fileName(String path) {
		Path file = Path.of(path).getFileName();
		return (file != null) ? file.toString() : path;
	}

}
