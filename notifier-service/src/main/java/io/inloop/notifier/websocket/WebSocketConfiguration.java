package io.inloop.notifier.websocket;

import java.util.Map;

import io.inloop.notifier.subscriptions.ConnectionSettings;
import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

import io.netty.channel.Channel;

import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.WebsocketServerSpec;

@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

	/** Ahead of the annotated and static-resource mappings, which would not know {@code /ws}. */
	@Bean
	HandlerMapping webSocketMapping(Subscriptions subscriptions, DeliveryMetrics metrics) {
		return new SimpleUrlHandlerMapping(Map.of(WebSocketEndpoint.PATH, new WebSocketEndpoint(subscriptions, metrics)),
				Ordered.HIGHEST_PRECEDENCE);
	}

	/** Caps what a client may send: a larger message closes the connection with 1009. */
	@Bean
	WebFluxConfigurer webSocketLimits(ConnectionSettings settings) {
		int maxFrame = (int) settings.maxInboundFrameSize().toBytes();
		return new WebFluxConfigurer() {

			@Override
			public WebSocketService getWebSocketService() {
				HandshakeWebSocketService service = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
						() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame))) {

					// Hands the channel's writability to the endpoint: it bounds what a connection buffers.
					@Override
					public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
						if (handler instanceof WebSocketEndpoint endpoint && ServerHttpResponseDecorator
							.getNativeResponse(exchange.getResponse()) instanceof NettyOutbound out) {
							Channel[] channel = new Channel[1];
							out.withConnection((connection) -> channel[0] = connection.channel());
							Channel open = channel[0];
							if (open != null) {
								return super.handleRequest(exchange, (session) -> endpoint.handle(session, open::isWritable));
							}
						}
						return super.handleRequest(exchange, handler);
					}

				};
				return service;
			}

		};
	}

}
