package io.inloop.notifier.websocket;

import java.util.Map;

import io.inloop.notifier.subscriptions.Subscriptions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

	/** Ahead of the annotated and static-resource mappings, which would not know {@code /ws}. */
	@Bean
	HandlerMapping webSocketMapping(Subscriptions subscriptions, WebSocketSettings settings) {
		return new SimpleUrlHandlerMapping(Map.of(WebSocketEndpoint.PATH, new WebSocketEndpoint(subscriptions, settings)),
				Ordered.HIGHEST_PRECEDENCE);
	}

}
