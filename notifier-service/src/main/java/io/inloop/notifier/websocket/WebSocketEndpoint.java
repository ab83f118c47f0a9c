package io.inloop.notifier.websocket;

import java.security.Principal;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.history.Cursor;
import io.inloop.notifier.delivery.Frame;
import io.inloop.notifier.subscriptions.Audience;
import io.inloop.notifier.subscriptions.Caller;
import io.inloop.notifier.subscriptions.CloseReason;
import io.inloop.notifier.subscriptions.ConnectionClosedException;
import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /ws}: streams the frames of the authenticated user's jobs, after {@code ?since=<cursor>}
 * when given, until either side closes. Security has refused the handshake already when there is
 * no valid token. Frames go out as text messages that wrap the shared bytes, never re-encoded.
 */
final class WebSocketEndpoint implements WebSocketHandler {

	static final String PATH = "/ws";

	/** {@code since} is not a cursor. */
	static final CloseStatus BAD_CURSOR = new CloseStatus(4000, "bad cursor");

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final Subscriptions subscriptions;

	private final DeliveryMetrics metrics;

	WebSocketEndpoint(Subscriptions subscriptions, DeliveryMetrics metrics) {
		this.metrics = metrics;
		this.subscriptions = subscriptions;
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		return handle(session, () -> true);
	}

	/** Reactor Netty asks for frames whatever its outbound buffer holds; {@code writable} says when it is full. */
	Mono<Void> handle(WebSocketSession session, BooleanSupplier writable) {
		return session.getHandshakeInfo()
			.getPrincipal()
			.map((principal) -> stream(session, principal, writable))
			// Second line of defence, should the security rules ever let an anonymous handshake through.
			.defaultIfEmpty(Mono.defer(() -> session.close(CloseStatus.POLICY_VIOLATION)))
			.flatMap(Function.identity());
	}

	private Mono<Void> stream(WebSocketSession session, Principal principal, BooleanSupplier writable) {
		Cursor since;
		try {
			since = since(session);
		}
		catch (IllegalArgumentException ex) {
			return session.close(BAD_CURSOR);
		}
		Caller caller = Caller.of(principal);
		DataBufferFactory buffers = session.bufferFactory();
		Flux<WebSocketMessage> messages = this.metrics.observe("websocket", this.subscriptions
			.stream(caller, Audience.of(caller.subject()), since, writable))
			.map((frame) -> message(session, buffers, frame))
			// The client's answer to the close ends the inbound stream; one that never answers is dropped later.
			.onErrorResume(ConnectionClosedException.class, (ex) -> {
				session.close(status(ex.reason())).subscribe();
				return Mono.delay(CLOSE_TIMEOUT).thenMany(Flux.empty());
			});
		// Inbound messages are ignored (beyond their size limit); the inbound stream ends when the client leaves.
		return Mono.firstWithSignal(session.send(messages), session.receive().then());
	}

	private static @Nullable Cursor since(WebSocketSession session) {
		String since = UriComponentsBuilder.fromUri(session.getHandshakeInfo().getUri())
			.build()
			.getQueryParams()
			.getFirst("since");
		return (since != null && !since.isEmpty()) ? Cursor.parse(since) : null;
	}

	private static WebSocketMessage message(WebSocketSession session, DataBufferFactory buffers, Frame frame) {
		if (frame == ControlFrame.PING) {
			return session.pingMessage((factory) -> factory.allocateBuffer(0));
		}
		return new WebSocketMessage(WebSocketMessage.Type.TEXT, buffers.wrap(frame.payload()));
	}

	static CloseStatus status(CloseReason reason) {
		return new CloseStatus(reason.code(), reason.text());
	}

}
