package io.inloop.notifier.websocket;

import java.util.concurrent.ArrayBlockingQueue;

import io.inloop.notifier.delivery.JobFrame;
import io.inloop.notifier.subscriptions.Connection;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.Sinks.EmitResult;

/**
 * One WebSocket client: a bounded queue of shared frames in front of its session. Nothing here
 * runs a thread or copies a frame; a client that lets the queue fill up is closed as too slow.
 */
final class WebSocketConnection implements Connection {

	/** The client did not read its frames fast enough (docs/protocol.md). */
	static final CloseStatus TOO_SLOW = new CloseStatus(4008, "too slow");

	private final String owner;

	private final WebSocketSession session;

	private final Sinks.Many<JobFrame> queue;

	private volatile boolean closing;

	WebSocketConnection(String owner, WebSocketSession session, int capacity) {
		this.owner = owner;
		this.session = session;
		this.queue = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
	}

	@Override
	public String owner() {
		return this.owner;
	}

	/** The frames as text messages that wrap the shared bytes: already UTF-8 JSON, so not re-encoded. */
	Flux<WebSocketMessage> messages() {
		DataBufferFactory buffers = this.session.bufferFactory();
		return this.queue.asFlux()
			.map((frame) -> new WebSocketMessage(WebSocketMessage.Type.TEXT, buffers.wrap(frame.payload())));
	}

	@Override
	public void send(JobFrame frame) {
		if (this.closing) {
			return;
		}
		EmitResult result = this.queue.tryEmitNext(frame);
		if (result == EmitResult.FAIL_OVERFLOW || result == EmitResult.FAIL_ZERO_SUBSCRIBER) {
			close(TOO_SLOW);
		}
	}

	@Override
	public void shutDown() {
		close(CloseStatus.GOING_AWAY);
	}

	private void close(CloseStatus status) {
		if (!this.closing) {
			this.closing = true;
			this.session.close(status).subscribe();
		}
	}

}
