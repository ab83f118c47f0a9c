package io.inloop.cli;

import io.inloop.cli.broker.BrokerNodeCommand;
import io.inloop.cli.deadletters.DeadLettersCommand;
import io.inloop.cli.replay.ReplayCommand;
import io.inloop.cli.start.StartCommand;
import io.inloop.cli.token.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code inloop}: the command line of Inloop. Each task is a subcommand. */
@Command(name = "inloop", mixinStandardHelpOptions = true, versionProvider = InloopVersion.class,
		description = "Keeps web users in the loop about their background jobs.",
		subcommands = { StartCommand.class, ReplayCommand.class, DeadLettersCommand.class, TokenCommand.class,
				BrokerNodeCommand.class, CommandLine.HelpCommand.class })
public final class InloopCommand implements Runnable {

	@CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	public static void main(String[] args) {
		// Like ./inloop: no arguments means start.
		String[] effective = (args.length == 0) ? new String[] { "start" } : args;
		System.exit(commandLine().execute(effective));
	}

	/** The command line with every subcommand, for running in-process (tests included). */
	public static CommandLine commandLine() {
		// --state failed reads as well as --state FAILED, --format table as TABLE.
		return new CommandLine(new InloopCommand()).setCaseInsensitiveEnumValuesAllowed(true);
	}

	@Override
	public void run() {
		// A bare "inloop" with options but no subcommand: say what it can do.
		this.spec.commandLine().usage(this.spec.commandLine().getOut());
	}

}
