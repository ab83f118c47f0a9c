package io.inloop.notifier.rsocket;

import java.util.List;
import java.util.Set;

import io.inloop.notifier.delivery.ControlFrame;
import io.inloop.history.Cursor;
import io.inloop.notifier.subscriptions.Audience;
import io.inloop.notifier.subscriptions.Caller;
import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.stereotype.Controller;

import reactor.core.publisher.Flux;

/**
 * {@code jobs.events}: the same frames as {@code /ws}, one per payload, for services. Without scope
 * {@code events:all} a caller sees only the jobs it owns (its JWT subject).
 */
@Controller
class JobEventsController {

	private final Subscriptions subscriptions;

	private final DeliveryMetrics metrics;

	private final JwtAuthenticationConverter authorities = new JwtAuthenticationConverter();

	JobEventsController(Subscriptions subscriptions, DeliveryMetrics metrics) {
		this.metrics = metrics;
		this.subscriptions = subscriptions;
	}

	@MessageMapping("jobs.events")
	Flux<DataBuffer> events(@Payload(required = false) @Nullable EventsRequest request,
			@AuthenticationPrincipal Jwt token, RSocketRequester service) {
		EventsRequest asked = (request != null) ? request : EventsRequest.ALL;
		Caller caller = Caller.of(this.authorities.convert(token));
		Set<String> owners = Set.copyOf(orEmpty(asked.owners()));
		if (owners.isEmpty() && !caller.seesEveryone()) {
			owners = Set.of(caller.subject());
		}
		if (!caller.seesEveryone() && !owners.equals(Set.of(caller.subject()))) {
			return Flux.error(new AccessDeniedException("Other owners' jobs need the scope events:all"));
		}
		Audience audience = new Audience(owners, Set.copyOf(orEmpty(asked.types())),
				Set.copyOf(orEmpty(asked.states())));
		Cursor since;
		try {
			since = (asked.since() != null) ? Cursor.parse(asked.since()) : null;
		}
		catch (IllegalArgumentException ex) {
			return Flux.error(ex);
		}
		if (since != null && audience.owner() == null) {
			return Flux.error(new IllegalArgumentException("since needs a stream of exactly one owner"));
		}
		// Frames wait (merged) while the service's socket takes no more, whatever it asked for.
		return this.metrics.observe("rsocket",
				this.subscriptions.stream(caller, audience, since, ServiceConnections.writable(service)))
			// RSocket keeps connections alive itself.
			.filter((frame) -> frame != ControlFrame.PING)
			.map((frame) -> DefaultDataBufferFactory.sharedInstance.wrap(frame.payload()));
	}

	private static <T> List<T> orEmpty(@Nullable List<T> values) {
		return (values != null) ? values : List.of();
	}

}
