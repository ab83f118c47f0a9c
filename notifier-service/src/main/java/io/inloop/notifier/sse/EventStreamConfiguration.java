package io.inloop.notifier.sse;

import io.inloop.notifier.subscriptions.Connections;
import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class EventStreamConfiguration {

	/** How long an {@code EventSource} waits before reconnecting, sent as the stream's {@code retry}. */
	private static final long RETRY_MILLIS = 1000;

	@Bean
	RouterFunction<ServerResponse> eventStream(Subscriptions subscriptions, Connections connections, DeliveryMetrics metrics) {
		EventStreamEndpoint endpoint = new EventStreamEndpoint(subscriptions, connections, metrics, RETRY_MILLIS);
		return RouterFunctions.route().GET(EventStreamEndpoint.PATH, endpoint::events).build();
	}

}
