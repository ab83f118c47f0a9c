package io.inloop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** The {@code inloop} command run in-process: exit code, stdout and stderr. */
public record CommandRun(int exitCode, String out, String err) {

	public static CommandRun of(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = InloopCommand.commandLine()
			.setOut(new PrintWriter(out))
			.setErr(new PrintWriter(err))
			.execute(args);
		return new CommandRun(exitCode, out.toString(), err.toString());
	}

	/** stdout's lines, without empty ones. */
	public List<String> lines() {
		return Arrays.stream(this.out.split("\n")).filter((line) -> !line.isBlank()).toList();
	}

}
