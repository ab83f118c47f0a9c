package io.inloop.cli.replay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;

/**
 * Re-drives selected events into another topic exactly as they were: same key, same value bytes,
 * original timestamp and headers. Keyed by owner like the source, so each owner's events stay in
 * order in one partition (the producer is idempotent).
 */
final class TopicCopy implements ReplayOutput {

	private final Producer<byte[], byte[]> producer;

	private final String topic;

	private final AtomicLong copied = new AtomicLong();

	private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();

	TopicCopy(Producer<byte[], byte[]> producer, String topic) {
		this.producer = producer;
		this.topic = topic;
	}

	@Override
	public void write(ReplayedEvent event) {
		ConsumerRecord<byte[], byte[]> record = event.record();
		this.producer.send(new ProducerRecord<>(this.topic, null, record.timestamp(), record.key(), record.value(),
				record.headers()), (metadata, ex) -> {
					if (ex != null) {
						this.failure.compareAndSet(null, ex);
					}
					else {
						this.copied.incrementAndGet();
					}
				});
	}

	@Override
	public void flush() {
		// Sending is asynchronous; close() waits for all of it.
	}

	/** @throws KafkaException if any record could not be written */
	@Override
	public void close() {
		try {
			this.producer.flush();
		}
		finally {
			this.producer.close();
		}
		Exception ex = this.failure.get();
		if (ex != null) {
			throw new KafkaException("Cannot write to " + this.topic + " (" + this.copied.get() + " events copied): "
					+ ex.getMessage(), ex);
		}
	}

	long copied() {
		return this.copied.get();
	}

}
