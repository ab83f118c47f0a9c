package io.inloop.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Turns the feed's records into frames on a few threads of their own, so that reading Kafka,
 * decoding Avro and writing each frame's JSON are not all one thread's work. Each partition always
 * goes to the same thread, which keeps each partition's order, hence each owner's. A thread's
 * queue is bounded: when it is full, the reading thread waits and the records wait in Kafka.
 */
final class FeedDecoders implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(FeedDecoders.class);

	private static final int QUEUE_CAPACITY = 2048;

	private final Lane[] lanes;

	private final AtomicLong pending = new AtomicLong();

	/** {@code handlers} gives each thread its own handler (decoders are not shared between threads). */
	FeedDecoders(int threads, Supplier<Consumer<ConsumerRecord<byte[], byte[]>>> handlers) {
		this.lanes = new Lane[threads];
		for (int i = 0; i < threads; i++) {
			this.lanes[i] = new Lane("status-feed-decoder-" + (i + 1), handlers.get());
		}
	}

	/** Hands the record to its partition's thread; waits while that thread's queue is full. */
	void submit(ConsumerRecord<byte[], byte[]> record) {
		this.pending.incrementAndGet();
		try {
			this.lanes[record.partition() % this.lanes.length].queue.put(record);
		}
		catch (InterruptedException ex) {
			this.pending.decrementAndGet();
			Thread.currentThread().interrupt();
			throw new InterruptException(ex);
		}
	}

	/** Whether every record handed in has been handled. */
	boolean isIdle() {
		return this.pending.get() == 0;
	}

	@Override
	public void close() {
		for (Lane lane : this.lanes) {
			lane.thread.interrupt();
		}
		for (Lane lane : this.lanes) {
			try {
				lane.thread.join(Duration.ofSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private final class Lane implements Runnable {

		final BlockingQueue<ConsumerRecord<byte[], byte[]>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

		final Thread thread;

		private final Consumer<ConsumerRecord<byte[], byte[]>> handler;

		Lane(String name, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
			this.handler = handler;
			this.thread = new Thread(this, name);
			this.thread.setDaemon(true);
			this.thread.start();
		}

		@Override
		public void run() {
			while (!Thread.currentThread().isInterrupted()) {
				ConsumerRecord<byte[], byte[]> record;
				try {
					record = this.queue.take();
				}
				catch (InterruptedException ex) {
					return;
				}
				try {
					this.handler.accept(record);
				}
				catch (RuntimeException ex) {
					logger.error("Record " + record.partition() + "-" + record.offset() + " could not be handled", ex);
				}
				finally {
					FeedDecoders.this.pending.decrementAndGet();
				}
			}
		}

	}

}
