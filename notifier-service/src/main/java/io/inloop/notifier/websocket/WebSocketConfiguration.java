package io.inloop.notifier.websocket;

import io.inloop.notifier.subscriptions.ConnectionSettings;
import io.inloop.notifier.subscriptions.DeliveryMetrics;
import io.inloop.notifier.subscriptions.Subscriptions;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;

@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

	/** {@code /ws} on the server's port, in front of WebFlux; tokens checked by the decoder every endpoint uses. */
	@Bean
	NettyServerCustomizer webSocketGateway(Subscriptions subscriptions, DeliveryMetrics metrics,
			ReactiveJwtDecoder tokens, ConnectionSettings settings, WebSocketSettings webSocket) {
		WebSocketGateway gateway = new WebSocketGateway(subscriptions, metrics,
				new JwtReactiveAuthenticationManager(tokens), settings.allowedOrigins(),
				(int) settings.maxInboundFrameSize().toBytes(), webSocket.authTimeout());
		return (server) -> server.doOnChannelInit((observer, channel, address) -> gateway.install(channel.pipeline()));
	}

}
