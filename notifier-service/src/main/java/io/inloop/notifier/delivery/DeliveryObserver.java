package io.inloop.notifier.delivery;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Sees each frame the feed delivered, with its record: for traces and logs, never for routing. */
@FunctionalInterface
public interface DeliveryObserver {

	DeliveryObserver NONE = (record, frame) -> {
	};

	void delivered(ConsumerRecord<byte[], byte[]> record, JobFrame frame);

}
