package io.inloop.cli.deadletters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.inloop.cli.kafka.ClusterOptions;
import io.inloop.cli.kafka.KafkaAccessException;
import io.inloop.cli.kafka.OutputFormat;
import io.inloop.schemas.Topics;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inloop dlt list}: every dead-lettered command, oldest first per partition. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
		description = "List the dead-lettered commands: cursor, job id, original topic and offset, the error, "
				+ "and whether the value is still a readable SubmitJob (then its type and owner).")
final class ListCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Mixin
	ClusterOptions cluster = new ClusterOptions();

	@Option(names = "--topic", defaultValue = Topics.JOB_COMMANDS, paramLabel = "<topic>",
			description = "Command topic whose dead letters (<topic>-dlt) to read (default: ${DEFAULT-VALUE}).")
	String topic = Topics.JOB_COMMANDS;

	@Option(names = "--job", split = ",", paramLabel = "<id>", description = "Only these jobs (repeatable or comma-separated).")
	List<String> jobs = new ArrayList<>();

	@Option(names = "--format", defaultValue = "ndjson", paramLabel = "<format>",
			description = "ndjson or table (default: ${DEFAULT-VALUE}).")
	OutputFormat format = OutputFormat.NDJSON;

	@Override
	public Integer call() {
		PrintWriter err = this.spec.commandLine().getErr();
		try {
			DeadLetterOutput output = new DeadLetterOutput(this.spec.commandLine().getOut(), this.format);
			List<DeadLetter> listed = DeadLetterTopic.readAll(this.cluster, this.topic)
				.stream()
				.filter((letter) -> this.jobs.isEmpty() || this.jobs.contains(letter.job()))
				.toList();
			listed.forEach(output::listed);
			output.flush();
			if (listed.isEmpty()) {
				err.println("No dead letters in " + Topics.deadLetter(this.topic));
				err.flush();
			}
			return 0;
		}
		catch (KafkaAccessException | KafkaException ex) {
			return this.cluster.report(err, ex);
		}
	}

}
