package io.inloop.bench;

import picocli.CommandLine.Option;

/** {@code --threads}: the busiest threads of each process, to find what to cut. */
public final class CpuOptions {

	@Option(names = "--threads", arity = "0..1", defaultValue = "0", fallbackValue = "5", paramLabel = "<count>",
			description = "Also report the N busiest threads of each process in the measured phase (N = 5 when not given; default: off).")
	public int threads;

}
