package io.inloop.cli.replay;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.inloop.cli.kafka.ClusterOptions;
import io.inloop.history.Cursor;
import io.inloop.cli.kafka.KafkaAccessException;
import io.inloop.cli.kafka.OutputFormat;
import io.inloop.history.EventFilter;
import io.inloop.history.ScanPlan;
import io.inloop.history.TopicScan;
import io.inloop.schemas.JobState;
import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.NewerSchemaException;
import io.inloop.schemas.serde.SchemaCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inloop replay}: the job status history from Kafka, filtered, printed or copied to a topic. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Read the job status history (" + Topics.JOB_STATUS + ") from any Kafka cluster.",
				"Prints one JSON object per event (the notifier's job frame plus the record timestamp) or a table, "
						+ "or copies the selected records unchanged into another topic.",
				"Data goes to stdout; progress, skipped records and errors to stderr." },
		footer = { "", "Times: an ISO-8601 instant (2026-11-27T10:15:30Z), a UTC date (2026-11-27), -30s, -30m, -2h, -7d, -1w, or now.",
				"Exit codes: 0 done, 1 Kafka unreachable or failed, 2 bad arguments,",
				"3 stopped at a record of a newer schema this inloop cannot read (nothing after it is replayed).", "", "Examples:",
				"  inloop replay --job 0b7d3c1e-5a0f-4a51-9c1e-7f1e2b9d4a10",
				"  inloop replay --owner alice --from -2h --format table",
				"  inloop replay --state failed,stalled --from 2026-11-27 --to 2026-11-28",
				"  inloop replay --from -1d --to-topic audit.job-status-rebuild",
				"  inloop replay --owner alice --from now --follow" })
public final class ReplayCommand implements Callable<Integer> {

	@Spec
	@SuppressWarnings("NullAway.Init")
	CommandSpec spec;

	@Mixin
	ClusterOptions cluster = new ClusterOptions();

	@Option(names = "--topic", defaultValue = Topics.JOB_STATUS, paramLabel = "<topic>",
			description = "Status topic to read (default: ${DEFAULT-VALUE}).")
	String topic = Topics.JOB_STATUS;

	@Option(names = "--job", split = ",", paramLabel = "<id>", description = "Only these jobs (repeatable or comma-separated).")
	List<String> jobs = new ArrayList<>();

	@Option(names = "--owner", split = ",", paramLabel = "<user>",
			description = "Only these owners; reads only their partitions (repeatable or comma-separated).")
	List<String> owners = new ArrayList<>();

	@Option(names = "--type", split = ",", paramLabel = "<type>", description = "Only these job types (repeatable or comma-separated).")
	List<String> types = new ArrayList<>();

	@Option(names = "--state", split = ",", paramLabel = "<state>",
			description = "Only these states: ${COMPLETION-CANDIDATES} (repeatable or comma-separated).")
	List<JobState> states = new ArrayList<>();

	@Option(names = "--from", paramLabel = "<time>", converter = TimeArgument.class,
			description = "Start at the first event at or after this time (default: the oldest kept).")
	@Nullable Instant from;

	@Option(names = "--to", paramLabel = "<time>", converter = TimeArgument.class,
			description = "Stop after the last event at or before this time (default: the end of the topic when the replay starts).")
	@Nullable Instant to;

	@Option(names = { "-f", "--follow" }, description = "Keep printing live events after the history, until Ctrl-C.")
	boolean follow;

	@Option(names = "--format", defaultValue = "ndjson", paramLabel = "<format>",
			description = "ndjson or table (default: ${DEFAULT-VALUE}).")
	OutputFormat format = OutputFormat.NDJSON;

	@Option(names = "--to-topic", paramLabel = "<topic>",
			description = "Copy the selected records (same key, value bytes, timestamp and headers) into this topic instead of printing them.")
	@Nullable String toTopic;

	@Option(names = "--progress", negatable = true,
			description = "Show a progress bar on stderr (default: only when stderr is a terminal).")
	@Nullable Boolean progress;

	/** The exit code of a replay that stopped at a record of a schema this inloop cannot read. */
	static final int NEWER_SCHEMA = 3;

	private AvroDeserializer<JobStatusChanged> events = new AvroDeserializer<>(JobStatusChanged.class);

	private long skipped;

	@Override
	public Integer call() {
		EventFilter filter = filter();
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		try (KafkaConsumer<byte[], byte[]> consumer = this.cluster.consumer(); SchemaCatalog schemas = this.cluster.schemas()) {
			this.events = new AvroDeserializer<>(JobStatusChanged.class, schemas);
			int partitions = this.cluster.partitions(consumer, this.topic).size();
			ScanPlan plan = ScanPlan.of(consumer, this.topic, partitions, filter.owners(), this.from, this.to,
					this.cluster.timeout());
			TopicCopy copy = (this.toTopic != null) ? new TopicCopy(this.cluster.producer(), this.toTopic) : null;
			try (ReplayOutput output = (copy != null) ? copy
					: (this.format == OutputFormat.TABLE) ? new TableOutput(out) : new NdjsonOutput(out)) {
				scan(consumer, new TopicScan(consumer, plan.starts(), plan.ends()), filter, output, err);
			}
			if (this.skipped > 0) {
				err.printf("Skipped %d unreadable record(s)%n", this.skipped);
			}
			if (copy != null) {
				err.printf("Copied %d event(s) to %s%n", copy.copied(), this.toTopic);
			}
			err.flush();
			return 0;
		}
		catch (StoppedAtNewerSchema ex) {
			err.println("inloop: stopped before " + ex.cursor + " of " + this.topic + ", which this inloop cannot read: "
					+ ex.getCause().getMessage());
			err.println("Nothing from there on was replayed; upgrade inloop to read it.");
			err.flush();
			return NEWER_SCHEMA;
		}
		catch (KafkaAccessException | KafkaException ex) {
			return this.cluster.report(err, ex);
		}
	}

	private void scan(KafkaConsumer<byte[], byte[]> consumer, TopicScan scan, EventFilter filter, ReplayOutput output,
			PrintWriter err) {
		ProgressBar bar = showProgress() ? new ProgressBar(err) : null;
		CountDownLatch finished = new CountDownLatch(1);
		// Ctrl-C ends a follow: wake the consumer up and let what was read be written out.
		Thread stop = new Thread(() -> {
			consumer.wakeup();
			awaitQuietly(finished);
		}, "inloop-replay-stop");
		if (this.follow) {
			Runtime.getRuntime().addShutdownHook(stop);
		}
		try {
			scan.run(this.follow, new TopicScan.Listener() {

				@Override
				public void record(ConsumerRecord<byte[], byte[]> record) {
					ReplayedEvent event = read(record, err);
					if (event != null && filter.matches(event.event(), event.timestamp())) {
						output.write(event);
					}
				}

				@Override
				public void polled(long scanned, long total) {
					output.flush();
					if (bar != null) {
						bar.show(scanned, total);
					}
				}

				@Override
				public void caughtUp() {
					if (bar != null) {
						bar.finish();
					}
				}

			});
		}
		finally {
			if (bar != null) {
				bar.finish();
			}
			finished.countDown();
			if (this.follow) {
				removeQuietly(stop);
			}
		}
	}

	private @Nullable ReplayedEvent read(ConsumerRecord<byte[], byte[]> record, PrintWriter err) {
		Cursor cursor = new Cursor(record.partition(), record.offset());
		try {
			JobStatusChanged event = this.events.deserialize(record.topic(), record.value());
			if (event != null) {
				return ReplayedEvent.of(record, event);
			}
			skip(err, cursor, "it has no value");
		}
		catch (NewerSchemaException ex) {
			// Never skipped: a replay with a gap would look whole
			throw new StoppedAtNewerSchema(cursor, ex);
		}
		catch (SerializationException ex) {
			skip(err, cursor, ex.getMessage());
		}
		return null;
	}

	/** A record written with a schema this inloop cannot read (nor find in inloop.schemas) ends the replay. */
	private static final class StoppedAtNewerSchema extends RuntimeException {

		private final Cursor cursor;

		StoppedAtNewerSchema(Cursor cursor, NewerSchemaException cause) {
			super(cause);
			this.cursor = cursor;
		}

	}

	private void skip(PrintWriter err, Cursor cursor, @Nullable String reason) {
		this.skipped++;
		err.println("Skipped " + cursor + ": " + reason);
		err.flush();
	}

	private boolean showProgress() {
		return (this.progress != null) ? this.progress : ProgressBar.stderrIsTerminal();
	}

	private EventFilter filter() {
		if (this.follow && this.to != null) {
			throw new ParameterException(this.spec.commandLine(), "--follow and --to exclude each other: follow has no end");
		}
		if (this.from != null && this.to != null && this.to.isBefore(this.from)) {
			throw new ParameterException(this.spec.commandLine(),
					"--to (" + this.to + ") is before --from (" + this.from + ")");
		}
		if (this.toTopic != null) {
			if (this.toTopic.equals(this.topic)) {
				throw new ParameterException(this.spec.commandLine(), "--to-topic must not be the topic being read (" + this.topic + ")");
			}
			if (this.spec.commandLine().getParseResult().hasMatchedOption("--format")) {
				throw new ParameterException(this.spec.commandLine(), "--format does not apply to --to-topic, which writes records, not text");
			}
		}
		return new EventFilter(Set.copyOf(this.jobs), new LinkedHashSet<>(this.owners), Set.copyOf(this.types),
				Set.copyOf(this.states), this.from, this.to);
	}

	private static void awaitQuietly(CountDownLatch finished) {
		try {
			finished.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void removeQuietly(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// Shutting down already: the hook is what stopped us.
		}
	}

}
