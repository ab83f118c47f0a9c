package io.inloop.worker.execution;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.tracing.Span;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.jspecify.annotations.Nullable;

import io.inloop.schemas.SubmitJob;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.AvroDeserializer;
import io.inloop.schemas.serde.NewerSchemaException;
import io.inloop.schemas.serde.SchemaHolds;
import io.inloop.worker.handler.JobFailure;

/**
 * One job slot: a share consumer of the command topic that holds at most one command at a time
 * ({@code max.poll.records=1}, {@code share.acquire.mode=record_limit}), so a long job holds up
 * nobody but its own slot. While the job runs, the slot renews the command's acquisition lock;
 * when its verdict comes, it acknowledges the command as {@link Settlement} says. A slot whose
 * worker dies stops renewing, and the command is delivered again once its lock runs out. A command
 * written with a schema this worker cannot read yet is held the same way, renewed and read again
 * every renewal, until its schema is published or the worker stops ({@link SchemaHolds}).
 */
final class JobSlot implements Runnable {

	private static final Log logger = LogFactory.getLog(JobSlot.class);

	/** How long an idle slot waits for a command in one poll, and so at most to notice a stop. */
	private static final long IDLE_POLL_MILLIS = 1000;

	private static final Duration IDLE_POLL = Duration.ofMillis(IDLE_POLL_MILLIS);

	/** How long a busy slot waits for its renewed command to come back from the consumer. */
	private static final Duration RENEWAL_POLL = Duration.ofMillis(20);

	/** How long a renewal may take to be answered before the lock counts as lost. */
	private static final Duration RENEWAL_ANSWER = Duration.ofSeconds(5);

	private final ShareConsumer<String, byte[]> consumer;

	private final JobRunner runner;

	private final Settlement settlement;

	private final JobTracing tracing;

	private final Duration renewEvery;

	private final AvroDeserializer<SubmitJob> commands;

	private final SchemaHolds holds;

	private volatile boolean running = true;

	/** The command this slot holds, or null while it is free. */
	private @Nullable Held held;

	JobSlot(ShareConsumer<String, byte[]> consumer, JobRunner runner, Settlement settlement, JobTracing tracing,
			Duration renewEvery, AvroDeserializer<SubmitJob> commands, SchemaHolds holds) {
		this.commands = commands;
		this.holds = holds;
		this.consumer = consumer;
		this.runner = runner;
		this.settlement = settlement;
		this.tracing = tracing;
		this.renewEvery = renewEvery;
	}

	@Override
	public void run() {
		try {
			this.consumer.subscribe(List.of(Topics.JOB_COMMANDS));
			while (this.running || this.held != null) {
				ConsumerRecords<String, byte[]> records = this.consumer.poll((this.held == null) ? IDLE_POLL : RENEWAL_POLL);
				for (ConsumerRecord<String, byte[]> record : records) {
					if (this.held == null) {
						this.held = start(record);
					}
					else if (!this.held.is(record)) {
						// Not expected: a slot fetches only when it holds nothing. Released so that it waits for no one
						logger.warn("Releasing " + record.topic() + "-" + record.partition() + "@" + record.offset()
								+ ", fetched while this slot holds a job");
						this.consumer.acknowledge(record, AcknowledgeType.RELEASE);
						continue;
					}
					settleOrRenew();
				}
			}
		}
		catch (RuntimeException ex) {
			logger.error("Job slot stopped: " + ex.getMessage(), ex);
		}
		finally {
			// Releases whatever is still acquired and sends the acknowledgements not sent yet
			this.consumer.close();
		}
	}

	/**
	 * Takes no more commands; the one held finishes (or is handed back) first. An idle slot notices
	 * within one poll ({@value #IDLE_POLL_MILLIS} ms): no wake-up, which would interrupt a renewal.
	 */
	void stop() {
		this.running = false;
	}

	private Held start(ConsumerRecord<String, byte[]> record) {
		SubmitJob command;
		try {
			command = this.commands.deserialize(record.topic(), record.value());
		}
		catch (NewerSchemaException ex) {
			this.holds.hold(Thread.currentThread().getName(), where(record), ex);
			return new Held(record, null, Span.NOOP, new CompletableFuture<>(), true);
		}
		catch (RuntimeException ex) {
			logger.warn("Dead-lettering the unreadable command at " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + ": " + ex.getMessage());
			return new Held(record, null, Span.NOOP, CompletableFuture.completedFuture(new Verdict.DeadLetter(
					JobFailure.permanent(JobFailure.UNREADABLE_COMMAND, "The command could not be read: " + ex.getMessage()))),
					false);
		}
		if (command == null) {
			logger.warn("Skipping an empty command at " + record.topic() + "-" + record.partition() + "@" + record.offset());
			return new Held(record, null, Span.NOOP, CompletableFuture.completedFuture(new Verdict.Done()), false);
		}
		Span trace = this.tracing.attemptOf(record.headers());
		return new Held(record, command, trace, this.runner.start(command, attemptOf(command, record), trace), false);
	}

	/**
	 * The attempt this delivery runs: the command's own (1, or the retry's), plus one for every
	 * earlier delivery of this record, each of which started an attempt that did not end.
	 */
	static int attemptOf(SubmitJob command, ConsumerRecord<?, ?> record) {
		int deliveries = record.deliveryCount().map(Short::intValue).orElse(1);
		return command.getAttempt() + deliveries - 1;
	}

	/** Waits up to the renewal interval for the verdict: acknowledges the command with it, or renews the lock. */
	private void settleOrRenew() {
		Held waited = this.held;
		Verdict verdict = waited.awaitVerdict(this.renewEvery);
		Held current = (verdict == null && waited.awaitsSchema()) ? readAgain(waited) : waited;
		if (verdict == null && current.awaitsSchema() && !this.running) {
			verdict = new Verdict.HandBack("the worker stops before it could read the command");
		}
		if (verdict == null) {
			renew(current).ifPresent((refused) -> abandon(current, refused));
			return;
		}
		AcknowledgeType acknowledgement = this.settlement.acknowledge(current.record(), current.command(), verdict);
		this.consumer.acknowledge(current.record(), acknowledgement);
		// Sent now rather than with the next poll: the command is settled as soon as it can be
		this.consumer.commitAsync();
		current.trace().end();
		if (current.awaitsSchema()) {
			this.holds.release(Thread.currentThread().getName());
		}
		if (verdict instanceof Verdict.HandBack handBack && current.command() != null) {
			logger.info("Handed job " + current.command().getJobId() + " back: " + handBack.reason());
		}
		this.held = null;
	}

	/** Reads a command held for want of its schema again: starts its job once it can be read. */
	private Held readAgain(Held waiting) {
		Held again = start(waiting.record());
		if (!again.awaitsSchema()) {
			this.holds.release(Thread.currentThread().getName());
		}
		this.held = again;
		return again;
	}

	private static String where(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

	/**
	 * Renews the held command's lock and waits for the broker's answer before the next poll: a poll
	 * while a renewal is in flight also fetches, and would acquire a command this slot cannot start
	 * (its lock would run out in the buffer and count as a delivery). Once the renewal is answered,
	 * the next poll hands the renewed command back without fetching.
	 */
	private Optional<? extends Exception> renew(Held current) {
		this.consumer.acknowledge(current.record(), AcknowledgeType.RENEW);
		try {
			return this.consumer.commitSync(RENEWAL_ANSWER).values().stream().flatMap(Optional::stream).findFirst();
		}
		catch (RuntimeException ex) {
			return Optional.of(ex);
		}
	}

	/** The broker gave the held command to another slot: this attempt ends here, unacknowledged. */
	private void abandon(Held current, Exception why) {
		logger.warn("Lost the lock on " + current.record().topic() + "-" + current.record().partition() + "@"
				+ current.record().offset() + " (" + why + "); its attempt ends here and another slot runs the next");
		if (current.command() != null) {
			this.runner.abandon(current.command().getJobId(), attemptOf(current.command(), current.record()));
		}
		current.trace().end();
		this.held = null;
	}

	/** What a slot holds; {@code awaitsSchema}: a command it cannot read yet, its verdict never comes. */
	private record Held(ConsumerRecord<String, byte[]> record, @Nullable SubmitJob command, Span trace,
			CompletableFuture<Verdict> verdict, boolean awaitsSchema) {

		boolean is(ConsumerRecord<?, ?> other) {
			return other.partition() == this.record.partition() && other.offset() == this.record.offset()
					&& other.topic().equals(this.record.topic());
		}

		@Nullable Verdict awaitVerdict(Duration timeout) {
			try {
				return this.verdict.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				return null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new Verdict.HandBack("the worker is stopping");
			}
			catch (ExecutionException ex) {
				return new Verdict.HandBack("its attempt failed unexpectedly: " + ex.getCause());
			}
		}

	}

}
