package io.inloop.worker.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.micrometer.tracing.Span;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.NewerSchemaException;
import io.inloop.schemas.serde.SchemaHolds;
import io.inloop.worker.handler.JobFailure;

/**
 * One share consumer of the command topic: it asks the share group for at most {@code size}
 * commands ({@code max.poll.records}, {@code share.acquire.mode=record_limit}) and only once it has
 * reserved {@code size} free job slots ({@link Slots}), so the worker never holds a command it has
 * no slot for. Each command starts its attempt at once, and is acknowledged as soon as the attempt
 * has durably started ({@code ACCEPT} once its {@code RUNNING} is written, {@link Attempt}): the
 * share-partition's in-flight window then spans the milliseconds from fetch to start, whatever the
 * jobs' length, and the job's lease from then on is its heartbeats, which the ledger watches. The
 * acknowledgements travel with the next fetch, or at once when no fetch follows.
 * <p>
 * A command of a schema this worker cannot read yet is held (renewed, and read again every renewal)
 * until its schema is published or the worker stops ({@link SchemaHolds}); while it holds one, this
 * fetcher takes no other command.
 */
final class CommandFetcher implements Runnable {

	private static final Log logger = LogFactory.getLog(CommandFetcher.class);

	/** How long a fetch waits for commands at most, and so how often an idle fetcher asks the broker. */
	static final Duration POLL = Duration.ofSeconds(5);

	/** How long the fetcher waits for free slots at a time before it looks whether it should stop. */
	private static final Duration RESERVE_WAIT = Duration.ofSeconds(1);

	/** How long a held command's renewal may take to be answered before the lock counts as lost. */
	private static final Duration RENEWAL_ANSWER = Duration.ofSeconds(5);

	/** How long the fetcher waits for a renewed command to come back from the consumer. */
	private static final Duration RENEWAL_POLL = Duration.ofMillis(100);

	private final ShareConsumer<String, byte[]> consumer;

	private final int size;

	private final Slots slots;

	private final JobRunner runner;

	private final Settlement settlement;

	private final JobTracing tracing;

	private final AvroDeserializer<SubmitJob> commands;

	private final SchemaHolds holds;

	private final Duration renewEvery;

	private volatile boolean running = true;

	/** The fetcher's name in {@link SchemaHolds}: its thread's. */
	private String name = "command-fetcher";

	CommandFetcher(ShareConsumer<String, byte[]> consumer, int size, Slots slots, JobRunner runner,
			Settlement settlement, JobTracing tracing, AvroDeserializer<SubmitJob> commands, SchemaHolds holds,
			Duration renewEvery) {
		this.consumer = consumer;
		this.size = size;
		this.slots = slots;
		this.runner = runner;
		this.settlement = settlement;
		this.tracing = tracing;
		this.commands = commands;
		this.holds = holds;
		this.renewEvery = renewEvery;
	}

	@Override
	public void run() {
		this.name = Thread.currentThread().getName();
		try {
			this.consumer.subscribe(List.of(Topics.JOB_COMMANDS));
			boolean reserved = false;
			while (this.running) {
				if (!reserved && !this.slots.reserve(this.size, RESERVE_WAIT)) {
					continue;
				}
				ConsumerRecords<String, byte[]> records;
				try {
					records = this.consumer.poll(POLL);
				}
				catch (WakeupException ex) {
					this.slots.release(this.size);
					break;
				}
				this.slots.release(this.size - records.count());
				boolean acknowledged = take(records);
				// Fetch again at once if the slots are there: the acknowledgements go with that fetch
				reserved = this.running && this.slots.reserve(this.size, Duration.ZERO);
				if (acknowledged && !reserved) {
					this.consumer.commitAsync();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (WakeupException ex) {
			// Stopping
		}
		catch (RuntimeException ex) {
			logger.error("Command fetcher stopped: " + ex.getMessage(), ex);
		}
		finally {
			// Releases whatever is still acquired and sends the acknowledgements not sent yet
			this.consumer.close();
		}
	}

	/** Takes no more commands; an idle fetcher stops at once. Jobs running go on (see {@link JobRunner}). */
	void stop() {
		this.running = false;
		this.consumer.wakeup();
	}

	/**
	 * Starts an attempt for each command and acknowledges each once its attempt has started.
	 * @return whether any acknowledgement waits to be sent
	 */
	private boolean take(ConsumerRecords<String, byte[]> records) throws InterruptedException {
		List<Taken> taken = new ArrayList<>(records.count());
		for (ConsumerRecord<String, byte[]> record : records) {
			taken.add(new Taken(record, dispatch(record)));
		}
		List<ConsumerRecord<String, byte[]>> held = new ArrayList<>();
		for (Taken each : taken) {
			if (each.attempt() == null) {
				held.add(each.record());
			}
			else {
				acknowledge(each.record(), each.attempt());
			}
		}
		if (!held.isEmpty()) {
			hold(held);
		}
		return taken.size() > held.size();
	}

	/** Starts the command's attempt; null: its schema cannot be read yet, it is held. */
	private @Nullable Attempt dispatch(ConsumerRecord<String, byte[]> record) {
		SubmitJob command;
		try {
			command = this.commands.deserialize(record.topic(), record.value());
		}
		catch (NewerSchemaException ex) {
			this.holds.hold(this.name, where(record), ex);
			return null;
		}
		catch (RuntimeException ex) {
			logger.warn("Dead-lettering the unreadable command at " + where(record) + ": " + ex.getMessage());
			return Attempt.ended(this.settlement.deadLetter(record, null, JobFailure
				.permanent(JobFailure.UNREADABLE_COMMAND, "The command could not be read: " + ex.getMessage())),
					AcknowledgeType.REJECT);
		}
		if (command == null) {
			logger.warn("Skipping an empty command at " + where(record));
			return Attempt.ended(CompletableFuture.completedFuture(null), AcknowledgeType.ACCEPT);
		}
		Span trace = this.tracing.attemptOf(record.headers());
		Attempt attempt = this.runner.start(command, command.getAttempt(), trace, record);
		attempt.over().whenComplete((done, ex) -> trace.end());
		return attempt;
	}

	/** Acknowledges the command as its attempt says, and frees its slot when the attempt is over. */
	private void acknowledge(ConsumerRecord<String, byte[]> record, Attempt attempt) throws InterruptedException {
		AcknowledgeType type;
		try {
			type = attempt.acknowledgement().get();
		}
		catch (ExecutionException ex) {
			type = AcknowledgeType.RELEASE;
		}
		this.consumer.acknowledge(record, type);
		attempt.over().whenComplete((done, ex) -> this.slots.release(1));
	}

	/**
	 * Keeps commands of a schema this worker cannot read yet: renews their locks, reads them again
	 * after each renewal and starts each once it can; hands them back when the worker stops.
	 */
	private void hold(List<ConsumerRecord<String, byte[]>> held) throws InterruptedException {
		List<ConsumerRecord<String, byte[]>> waiting = held;
		// What the others of their fetch are acknowledged with goes now, not after the first renewal
		this.consumer.commitAsync();
		try {
			while (!waiting.isEmpty()) {
				if (!sleepWhileRunning(this.renewEvery)) {
					logger.info("Handing " + waiting.size() + " command(s) of a newer schema back: the worker stops");
					waiting.forEach((record) -> this.consumer.acknowledge(record, AcknowledgeType.RELEASE));
					this.slots.release(waiting.size());
					return;
				}
				waiting.forEach((record) -> this.consumer.acknowledge(record, AcknowledgeType.RENEW));
				Optional<? extends Exception> refused = renewal();
				if (refused.isPresent()) {
					logger.warn("Lost the lock on " + waiting.size() + " held command(s) (" + refused.get()
							+ "); another delivery takes them");
					this.slots.release(waiting.size());
					return;
				}
				List<ConsumerRecord<String, byte[]>> stillWaiting = new ArrayList<>();
				for (ConsumerRecord<String, byte[]> record : renewed(waiting)) {
					Attempt attempt = dispatch(record);
					if (attempt == null) {
						stillWaiting.add(record);
					}
					else {
						acknowledge(record, attempt);
					}
				}
				waiting = stillWaiting;
			}
		}
		finally {
			this.holds.release(this.name);
		}
	}

	/** Sends the renewals and waits for the broker's answer: a poll while one is in flight would fetch. */
	private Optional<? extends Exception> renewal() {
		try {
			return this.consumer.commitSync(RENEWAL_ANSWER).values().stream().flatMap(Optional::stream).findFirst();
		}
		catch (RuntimeException ex) {
			return Optional.of(ex);
		}
	}

	/** The renewed commands, as the consumer hands them back. */
	private List<ConsumerRecord<String, byte[]>> renewed(List<ConsumerRecord<String, byte[]>> waiting) {
		List<ConsumerRecord<String, byte[]>> back = new ArrayList<>();
		// One poll hands back every renewed command; polling again before acknowledging them would fail
		for (int poll = 0; poll < 10 && back.isEmpty(); poll++) {
			this.consumer.poll(RENEWAL_POLL).forEach(back::add);
		}
		return back;
	}

	private boolean sleepWhileRunning(Duration duration) throws InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		while (this.running && System.nanoTime() < deadline) {
			Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
		}
		return this.running;
	}

	private static String where(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

	private record Taken(ConsumerRecord<String, byte[]> record, @Nullable Attempt attempt) {
	}

}
