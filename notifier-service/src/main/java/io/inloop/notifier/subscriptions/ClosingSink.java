package io.inloop.notifier.subscriptions;

import io.inloop.notifier.delivery.Frame;

import reactor.core.publisher.Sinks;

/**
 * The {@link FrameSink} of a flux transport's connection until it is live: takes no frame (they
 * wait in the connection's queue), but a close (too slow, token expired, going away) ends the
 * stream at once, even while the client asks for nothing, instead of waiting for the live sink.
 */
final class ClosingSink implements FrameSink {

	private final Sinks.Empty<Frame> closed = Sinks.empty();

	/** Fails with the {@link ConnectionClosedException} once closed; never emits or completes (takeUntilOther would end the stream). */
	reactor.core.publisher.Flux<Frame> closed() {
		return this.closed.asMono().flux();
	}

	@Override
	public boolean ready() {
		return false;
	}

	@Override
	public void send(Frame frame) {
		throw new IllegalStateException("Not live yet");
	}

	@Override
	public void close(CloseReason reason) {
		this.closed.tryEmitError(new ConnectionClosedException(reason));
	}

}
