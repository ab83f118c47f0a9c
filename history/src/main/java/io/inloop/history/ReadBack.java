package io.inloop.history;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link RangeRead} as a flux, read only as fast as its subscriber takes the records: one poll
 * per batch asked for, at most one batch waiting. The read is opened, polled and closed on
 * {@code readers}, never on the subscriber's thread (an event loop must not block on Kafka); a
 * cancelled subscription ends the read at once and closes its consumer.
 */
public final class ReadBack {

	private ReadBack() {
	}

	/**
	 * The records of the read {@code open} returns (and the flux owns). {@code open} may fail, for
	 * instance when the range is no longer in the topic: the flux then fails before any record.
	 */
	public static Flux<ConsumerRecord<byte[], byte[]>> of(Callable<RangeRead> open, Scheduler readers,
			Duration pollTimeout) {
		return Flux.using(open,
				(read) -> Flux.<List<ConsumerRecord<byte[], byte[]>>>generate((sink) -> {
					if (read.done()) {
						sink.complete();
					}
					else {
						sink.next(read.poll(pollTimeout));
					}
				}).concatMapIterable(Function.identity(), 1), RangeRead::close)
			.subscribeOn(readers, true);
	}

}
