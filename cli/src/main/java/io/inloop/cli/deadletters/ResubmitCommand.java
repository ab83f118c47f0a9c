package io.inloop.cli.deadletters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.inloop.cli.kafka.ClusterOptions;
import io.inloop.cli.kafka.CursorConverter;
import io.inloop.history.Cursor;
import io.inloop.cli.kafka.KafkaAccessException;
import io.inloop.cli.kafka.OutputFormat;
import io.inloop.schemas.JobSnapshots;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Resubmission;
import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inloop dlt resubmit}: each readable dead-lettered command runs again as a new job of the
 * same owner that points to the old one ({@link Resubmission}), announced {@code QUEUED} to its
 * owner; with {@code --force}, an unreadable value is sent again as it is, unannounced.
 */
@Command(name = "resubmit", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Run dead-lettered jobs again, each as a new job of the same owner (new id, attempt 1, "
				+ "resubmitOf = the old id), sent to the command's original topic with its own headers without the "
				+ "dead-letter ones, and announced QUEUED on the status topic so its owner sees it.",
				"The dead letters stay where they are, so re-submitting one twice runs its job twice.",
				"Values that are not a readable SubmitJob are refused unless --force, which sends their bytes again "
						+ "as they are (under the old key; the owner is not told)." },
		footer = { "", "Exit codes: 0 all selected re-submitted, 1 some refused or not found or Kafka failed, 2 bad arguments." })
final class ResubmitCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Mixin
	ClusterOptions cluster = new ClusterOptions();

	@ArgGroup(exclusive = true, multiplicity = "1")
	@SuppressWarnings("NullAway.Init")
	Selection selection;

	@Option(names = "--job", split = ",", paramLabel = "<id>", description = "Only the dead letters of these jobs (repeatable or comma-separated).")
	List<String> jobs = new ArrayList<>();

	@Option(names = "--force", description = "Also re-send values that are not a readable SubmitJob.")
	boolean force;

	@Option(names = "--topic", defaultValue = Topics.JOB_COMMANDS, paramLabel = "<topic>",
			description = "Command topic whose dead letters (<topic>-dlt) to read; also the target when a record does not name its original topic (default: ${DEFAULT-VALUE}).")
	String topic = Topics.JOB_COMMANDS;

	@Option(names = "--status-topic", defaultValue = Topics.JOB_STATUS, paramLabel = "<topic>",
			description = "Where a re-submitted job is announced QUEUED (default: ${DEFAULT-VALUE}).")
	String statusTopic = Topics.JOB_STATUS;

	@Option(names = "--format", defaultValue = "ndjson", paramLabel = "<format>",
			description = "ndjson or table (default: ${DEFAULT-VALUE}).")
	OutputFormat format = OutputFormat.NDJSON;

	/** Which dead letters: named by cursor, or all of them. */
	static final class Selection {

		@Parameters(paramLabel = "<cursor>", arity = "1..*", converter = CursorConverter.class,
				description = "Dead letters to re-submit, by cursor (<partition>-<offset>, as dlt list prints).")
		List<Cursor> cursors = new ArrayList<>();

		@Option(names = "--all", required = true, description = "Every dead letter (narrowed by --job).")
		boolean all;

	}

	private final AvroSerializer<SubmitJob> commands = new AvroSerializer<>(SubmitJob.class);

	private final AvroSerializer<JobStatusChanged> snapshots = new AvroSerializer<>(JobStatusChanged.class);

	@Override
	public Integer call() {
		PrintWriter err = this.spec.commandLine().getErr();
		try {
			List<DeadLetter> selected = select(DeadLetterTopic.readAll(this.cluster, this.topic), err);
			if (selected == null) {
				return ClusterOptions.KAFKA_FAILED;
			}
			if (selected.isEmpty()) {
				err.println("No dead letters to re-submit");
				err.flush();
				return 0;
			}
			return resubmit(selected, err);
		}
		catch (KafkaAccessException | KafkaException ex) {
			return this.cluster.report(err, ex);
		}
	}

	/** The chosen dead letters, or null (after saying why) when a named cursor is not there. */
	private @Nullable List<DeadLetter> select(List<DeadLetter> deadLetters, PrintWriter err) {
		List<DeadLetter> chosen;
		if (this.selection.all) {
			chosen = deadLetters;
		}
		else {
			Map<Cursor, DeadLetter> byCursor = deadLetters.stream()
				.collect(Collectors.toMap(DeadLetter::cursor, Function.identity()));
			List<Cursor> missing = this.selection.cursors.stream().filter((cursor) -> !byCursor.containsKey(cursor)).toList();
			if (!missing.isEmpty()) {
				err.println("No dead letter at " + missing.stream().map(Cursor::toString).collect(Collectors.joining(", "))
						+ " in " + Topics.deadLetter(this.topic) + ": nothing re-submitted");
				err.flush();
				return null;
			}
			chosen = this.selection.cursors.stream().distinct().map(byCursor::get).toList();
		}
		return chosen.stream().filter((letter) -> this.jobs.isEmpty() || this.jobs.contains(letter.job())).toList();
	}

	private int resubmit(List<DeadLetter> selected, PrintWriter err) {
		DeadLetterOutput output = new DeadLetterOutput(this.spec.commandLine().getOut(), this.format);
		int refused = 0;
		try (KafkaProducer<byte[], byte[]> producer = this.cluster.producer()) {
			for (DeadLetter letter : selected) {
				if (!letter.isReadable() && !this.force) {
					refused++;
					err.println("Refused " + letter.cursor() + ": not a readable SubmitJob (" + letter.unreadable()
							+ "); --force re-sends it anyway");
					continue;
				}
				String target = (letter.originalTopic() != null) ? letter.originalTopic() : this.topic;
				SubmitJob deadLettered = letter.command();
				if (deadLettered == null) {
					RecordMetadata sent = send(producer, letter, new ProducerRecord<>(target, null, letter.record().key(),
							letter.record().value(), headersOf(letter)));
					err.println("Re-sent " + letter.cursor() + " as it is: not a readable command, so no owner is told");
					output.resubmitted(letter, target, null, sent.partition(), sent.offset());
					continue;
				}
				Resubmission again = Resubmission.of(deadLettered, Instant.now());
				// QUEUED first, as the API does, so a worker's RUNNING cannot overtake it
				announce(producer, letter, again.queued());
				RecordMetadata sent;
				try {
					sent = send(producer, letter, new ProducerRecord<>(target, null, bytes(again.command().getJobId()),
							this.commands.serialize(target, again.command()), headersOf(letter)));
				}
				catch (KafkaException ex) {
					// Never leave the owner with a job QUEUED for ever
					announce(producer, letter, JobSnapshots.notSubmitted(again.queued(), Instant.now()));
					throw ex;
				}
				output.resubmitted(letter, target, again.command().getJobId(), sent.partition(), sent.offset());
			}
		}
		output.flush();
		err.flush();
		return (refused == 0) ? 0 : ClusterOptions.KAFKA_FAILED;
	}

	private void announce(KafkaProducer<byte[], byte[]> producer, DeadLetter letter, JobStatusChanged snapshot) {
		send(producer, letter, new ProducerRecord<>(this.statusTopic, bytes(snapshot.getOwner()),
				this.snapshots.serialize(this.statusTopic, snapshot)));
	}

	private static RecordHeaders headersOf(DeadLetter letter) {
		RecordHeaders headers = new RecordHeaders();
		letter.record().headers().forEach((header) -> {
			if (!DeadLetterHeaders.isAddedByDeadLettering(header)) {
				headers.add(header);
			}
		});
		return headers;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	// One at a time and confirmed: what is printed as re-submitted is on the topic.
	private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, DeadLetter letter,
			ProducerRecord<byte[], byte[]> record) {
		try {
			return producer.send(record).get();
		}
		catch (ExecutionException ex) {
			throw new KafkaException("Cannot re-submit " + letter.cursor() + " to " + record.topic() + ": "
					+ ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaException("Interrupted while re-submitting " + letter.cursor(), ex);
		}
	}

}
