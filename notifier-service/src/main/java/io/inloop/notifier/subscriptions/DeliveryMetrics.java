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

	private final Map<String, AtomicInteger> clients = new ConcurrentHashMap<>();

	private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

	DeliveryMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	/** {@code frames}, counted as one client of {@code transport} while subscribed. */
	public Flux<Frame> observe(String transport, Flux<Frame> frames) {
		AtomicInteger connected = this.clients.computeIfAbsent(transport, (name) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("inloop.notifier.clients", count, AtomicInteger::get)
				.description("Connected clients")
				.tag("transport", name)
				.register(this.meters);
			return count;
		});
		Timer latency = this.latencies.computeIfAbsent(transport, (name) -> Timer.builder("inloop.notifier.delivery.latency")
			.description("From a live status event's write to Kafka to its hand-over to a client connection")
			.tag("transport", name)
			.publishPercentileHistogram()
			.register(this.meters));
		return Flux.defer(() -> {
			boolean[] live = { false };
			return frames.doOnSubscribe((subscription) -> connected.incrementAndGet())
				.doFinally((signal) -> connected.decrementAndGet())
				.doOnNext((frame) -> {
					if (frame == ControlFrame.LIVE) {
						live[0] = true;
					}
					else if (live[0] && frame instanceof JobFrame job && job.timestamp() > 0) {
						latency.record(Math.max(0, System.currentTimeMillis() - job.timestamp()), TimeUnit.MILLISECONDS);
					}
				});
		});
	}

}
