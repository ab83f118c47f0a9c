package io.inloop.bench;

import picocli.CommandLine.Option;

/** The jobs a workload submits: {@code demo.steps} with these steps and delay. */
public final class JobOptions {

	@Option(names = "--steps", defaultValue = "10", paramLabel = "<count>",
			description = "Steps of each demo.steps job (default: ${DEFAULT-VALUE}).")
	public int steps;

	@Option(names = "--delay-ms", defaultValue = "0", paramLabel = "<ms>",
			description = "Pause before each step (default: ${DEFAULT-VALUE}).")
	public long delayMs;

}
