package io.inloop.cli.deadletters;

import io.inloop.schemas.Topics;
import picocli.CommandLine.Command;

/** {@code inloop dlt}: the dead-lettered commands, listed and re-submitted. */
@Command(name = "dlt", mixinStandardHelpOptions = true,
		description = "Dead-lettered commands (" + Topics.JOB_COMMANDS + "-dlt): list them with their error, "
				+ "and re-submit them to " + Topics.JOB_COMMANDS + " once the cause is fixed.",
		subcommands = { ListCommand.class, ResubmitCommand.class },
		footer = { "", "Examples:", "  inloop dlt list --format table", "  inloop dlt resubmit 0-3 2-17",
				"  inloop dlt resubmit --all --job 0b7d3c1e-5a0f-4a51-9c1e-7f1e2b9d4a10" })
public final class DeadLettersCommand {

}
