package io.inloop.notifier.subscriptions;

import java.util.function.BooleanSupplier;

import io.inloop.notifier.delivery.Frame;

import reactor.core.publisher.FluxSink;

/**
 * A {@link FrameSink} for transports that take a {@code Flux} (SSE, RSocket): ready while the
 * subscriber has demand and the transport's buffer has room; the close is the stream's
 * {@link ConnectionClosedException}.
 */
final class FluxFrameSink implements FrameSink {

	private final FluxSink<Frame> sink;

	private final BooleanSupplier writable;

	FluxFrameSink(FluxSink<Frame> sink, BooleanSupplier writable) {
		this.sink = sink;
		this.writable = writable;
	}

	@Override
	public boolean ready() {
		return this.sink.requestedFromDownstream() > 0 && this.writable.getAsBoolean();
	}

	@Override
	public void send(Frame frame) {
		this.sink.next(frame);
	}

	@Override
	public void close(CloseReason reason) {
		this.sink.error(new ConnectionClosedException(reason));
	}

}
