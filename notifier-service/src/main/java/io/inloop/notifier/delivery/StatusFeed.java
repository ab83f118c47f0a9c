package io.inloop.notifier.delivery;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.inloop.history.Cursor;
import io.inloop.history.TopicTail;
import io.inloop.schemas.Topics;
import io.inloop.schemas.serde.NewerSchemaException;
import io.inloop.schemas.serde.SchemaCatalog;
import io.inloop.schemas.serde.SchemaHolds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Reads every partition of the status topic ({@link TopicTail}) and hands each event on as one
 * {@link JobFrame}. Every notifier instance must see every user's events, so partitions are
 * assigned, not shared in a consumer group, and nothing is committed. It starts from the jobs under
 * way and a bounded tail of each partition ({@link OpenJobsStart}), so the listener knows the
 * recent jobs of every user before it is {@link #isCaughtUp() caught up}, however long the history. A record written with a schema it
 * cannot read yet holds the feed there ({@link SchemaHolds}) until the schema is published or the
 * notifier is upgraded, so no client's cursor moves past it; any other record that cannot be read
 * is skipped.
 */
public final class StatusFeed implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StatusFeed.class);

	private final TopicTail tail;

	private final JobFrameListener listener;

	/** The name of the feed's hold in {@link SchemaHolds}. */
	static final String READER = "status-feed";

	private final JobFrames frames;

	private final SchemaHolds holds;

	private volatile boolean stopping;

	private DeliveryObserver observer = DeliveryObserver.NONE;

	private final AtomicLong skipped = new AtomicLong();

	public StatusFeed(String topic, Supplier<Consumer<byte[], byte[]>> consumers, JobFrameListener listener,
			StatusFeedSettings settings) {
		this(topic, Topics.OPEN_JOBS, consumers, listener, settings, new JobFrames(), new SchemaHolds());
	}

	/** Starts from the jobs under way on {@code openJobs} rather than {@link Topics#OPEN_JOBS}. */
	StatusFeed(String topic, String openJobs, Supplier<Consumer<byte[], byte[]>> consumers, JobFrameListener listener,
			StatusFeedSettings settings) {
		this(topic, openJobs, consumers, listener, settings, new JobFrames(), new SchemaHolds());
	}

	/** Reads newer writers' records with the schemas they published in {@code catalog}; reports holds to {@code holds}. */
	public StatusFeed(String topic, Supplier<Consumer<byte[], byte[]>> consumers, JobFrameListener listener,
			StatusFeedSettings settings, SchemaCatalog catalog, SchemaHolds holds) {
		this(topic, Topics.OPEN_JOBS, consumers, listener, settings, new JobFrames(catalog), holds);
	}

	private StatusFeed(String topic, String openJobs, Supplier<Consumer<byte[], byte[]>> consumers,
			JobFrameListener listener, StatusFeedSettings settings, JobFrames frames, SchemaHolds holds) {
		this.frames = frames;
		this.holds = holds;
		this.listener = listener;
		this.tail = new TopicTail(topic, consumers, new OpenJobsStart(openJobs, frames, listener, settings),
				settings.pollTimeout(), settings.retryInterval(),
				new TopicTail.Listener() {

					@Override
					public void positioned(int partition, int partitions, long offset) {
						listener.positioned(partition, partitions, offset);
					}

					@Override
					public void record(ConsumerRecord<byte[], byte[]> record) {
						deliver(record);
					}

				});
	}

	/** Whether every partition is assigned and positioned, so no event produced from now on is missed. */
	public boolean isAssigned() {
		return this.tail.isAssigned();
	}

	/** Whether the feed has read what the topic held when it started: only then is its view of recent jobs whole. */
	public boolean isCaughtUp() {
		return this.tail.isCaughtUp();
	}

	public int assignedPartitions() {
		return this.tail.assignedPartitions();
	}

	public String topic() {
		return this.tail.topic();
	}

	/** Records skipped because they could not be read as a {@link JobStatusChanged}. */
	public long skippedRecords() {
		return this.skipped.get();
	}

	@Override
	public void start() {
		this.tail.start("status-feed");
	}

	/** Where the feed is held for want of a schema, if it is. */
	public SchemaHolds.@Nullable Hold hold() {
		return this.holds.current().get(READER);
	}

	@Override
	public void stop() {
		this.stopping = true;
		this.tail.stop();
	}

	@Override
	public boolean isRunning() {
		return this.tail.isRunning();
	}

	/** Told of every frame handed to the subscriptions, with the record it came from. */
	public void observeDeliveries(DeliveryObserver observer) {
		this.observer = observer;
	}

	private void deliver(ConsumerRecord<byte[], byte[]> record) {
		Cursor cursor = new Cursor(record.partition(), record.offset());
		JobFrame frame;
		try {
			frame = read(record, cursor);
			if (this.stopping) {
				return;
			}
			if (frame == null) {
				skip(cursor, "it has no value");
				return;
			}
		}
		catch (RuntimeException ex) {
			skip(cursor, ex.getMessage());
			return;
		}
		try {
			this.listener.on(frame);
			this.observer.delivered(record, frame);
		}
		catch (RuntimeException ex) {
			logger.error("Frame " + cursor + " of job " + frame.jobId() + " could not be delivered", ex);
		}
	}

	/**
	 * The record's frame; a record of a schema this notifier cannot read yet holds the feed here
	 * until it can (null if stopped meanwhile). The hold's bookkeeping is built only then: every
	 * other record costs the decode alone.
	 */
	private @Nullable JobFrame read(ConsumerRecord<byte[], byte[]> record, Cursor cursor) {
		try {
			return this.frames.frame(record);
		}
		catch (NewerSchemaException ex) {
			return this.holds.untilReadable(READER, topic() + "-" + cursor.partition() + "@" + cursor.offset(),
					() -> this.frames.frame(record), () -> this.stopping);
		}
	}

	private void skip(Cursor cursor, @Nullable String reason) {
		long count = this.skipped.incrementAndGet();
		logger.warn("Skipped record " + cursor + " of " + topic() + " (" + count + " so far): " + reason);
	}

}
