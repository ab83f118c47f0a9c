package io.inloop.notifier.subscriptions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.delivery.JobFrame;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;

/**
 * Per transport: the clients connected now ({@code inloop.notifier.clients}) and how long a live
 * status event took from its write to Kafka to its hand-over to the client's connection
 * ({@code inloop.notifier.delivery.latency}); catch-up frames are not counted as latency.
 */
@Component
public class DeliveryMetrics {

	private final MeterRegistry meters;

	private final Map<String, Transport> transports = new ConcurrentHashMap<>();

	DeliveryMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	/** The meters of {@code name}, registered the first time. */
	public Transport transport(String name) {
		return this.transports.computeIfAbsent(name, (key) -> new Transport(this.meters, key));
	}

	/** {@code frames}, counted as one client of {@code transport} while subscribed. */
	public Flux<Frame> observe(String transport, Flux<Frame> frames) {
		Transport meters = transport(transport);
		return Flux.defer(() -> {
			boolean[] live = { false };
			return frames.doOnSubscribe((subscription) -> meters.opened())
				.doFinally((signal) -> meters.closed())
				.doOnNext((frame) -> {
					if (frame == ControlFrame.LIVE) {
						live[0] = true;
					}
					else if (live[0] && frame instanceof JobFrame job) {
						meters.delivered(job);
					}
				});
		});
	}

	/** One transport's meters. */
	public static final class Transport {

		private final AtomicInteger clients = new AtomicInteger();

		private final Timer latency;

		Transport(MeterRegistry meters, String name) {
			Gauge.builder("inloop.notifier.clients", this.clients, AtomicInteger::get)
				.description("Connected clients")
				.tag("transport", name)
				.register(meters);
			this.latency = Timer.builder("inloop.notifier.delivery.latency")
				.description("From a live status event's write to Kafka to its hand-over to a client connection")
				.tag("transport", name)
				.publishPercentileHistogram()
				.register(meters);
		}

		public void opened() {
			this.clients.incrementAndGet();
		}

		public void closed() {
			this.clients.decrementAndGet();
		}

		/** A live frame was handed to the transport. */
		public void delivered(JobFrame frame) {
			if (frame.timestamp() > 0) {
				this.latency.record(Math.max(0, System.currentTimeMillis() - frame.timestamp()), TimeUnit.MILLISECONDS);
			}
		}

	}

}
