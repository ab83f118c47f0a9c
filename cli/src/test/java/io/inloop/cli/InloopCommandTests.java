package io.inloop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class InloopCommandTests {

	private final StringWriter out = new StringWriter();

	private final StringWriter err = new StringWriter();

	@Test
	void helpListsTheSubcommands() {
		assertThat(execute("--help")).isZero();
		assertThat(this.out.toString()).contains("Usage: inloop", "start");
	}

	@Test
	void startHelpListsItsOptions() {
		assertThat(execute("start", "--help")).isZero();
		assertThat(this.out.toString()).contains("--data-dir", "--partitions", "--kafka-port", "--no-services",
				"--services");
	}

	@Test
	void anUnknownOptionIsAClearError() {
		assertThat(execute("start", "--bogus")).isEqualTo(CommandLine.ExitCode.USAGE);
		assertThat(this.err.toString()).contains("Unknown option: '--bogus'", "Usage: inloop start");
	}

	@Test
	void anUnknownServiceIsAClearError() {
		assertThat(execute("start", "--services", "api-service,mailer")).isEqualTo(CommandLine.ExitCode.USAGE);
		assertThat(this.err.toString()).contains("Unknown service 'mailer'");
	}

	@Test
	void anUnknownSubcommandIsAClearError() {
		assertThat(execute("launch")).isEqualTo(CommandLine.ExitCode.USAGE);
		assertThat(this.err.toString()).contains("Unmatched argument at index 0: 'launch'");
	}

	private int execute(String... args) {
		return InloopCommand.commandLine()
			.setOut(new PrintWriter(this.out))
			.setErr(new PrintWriter(this.err))
			.execute(args);
	}

}
