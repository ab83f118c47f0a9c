package io.inloop.notifier.websocket;

import java.security.Principal;
import java.util.function.Function;

import io.inloop.notifier.subscriptions.Subscriptions;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.Mono;

/**
 * {@code /ws}: streams the frames of the authenticated user's jobs until either side closes.
 * Security has refused the handshake already when there is no valid token.
 */
final class WebSocketEndpoint implements WebSocketHandler {

	static final String PATH = "/ws";

	private final Subscriptions subscriptions;

	private final WebSocketSettings settings;

	WebSocketEndpoint(Subscriptions subscriptions, WebSocketSettings settings) {
		this.subscriptions = subscriptions;
		this.settings = settings;
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		return session.getHandshakeInfo()
			.getPrincipal()
			.map((principal) -> stream(session, principal))
			// Second line of defence, should the security rules ever let an anonymous handshake through.
			.defaultIfEmpty(Mono.defer(() -> session.close(CloseStatus.POLICY_VIOLATION)))
			.flatMap(Function.identity());
	}

	private Mono<Void> stream(WebSocketSession session, Principal principal) {
		WebSocketConnection connection = new WebSocketConnection(principal.getName(), session,
				this.settings.queueCapacity());
		this.subscriptions.add(connection);
		// Inbound messages are ignored for now; the inbound stream ends when the client leaves.
		return Mono.firstWithSignal(session.send(connection.messages()), session.receive().then())
			.doFinally((signal) -> this.subscriptions.remove(connection));
	}

}
