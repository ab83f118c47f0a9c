package io.inloop.notifier.rsocket;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.server.TcpServerTransport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.rsocket.autoconfigure.RSocketProperties;
import org.springframework.boot.rsocket.netty.NettyRSocketServer;
import org.springframework.boot.rsocket.server.RSocketServerCustomizer;
import org.springframework.boot.rsocket.server.RSocketServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.security.config.annotation.rsocket.EnableRSocketSecurity;
import org.springframework.security.config.annotation.rsocket.RSocketSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.rsocket.core.PayloadSocketAcceptorInterceptor;

import reactor.netty.tcp.TcpServer;

/**
 * A connection is authenticated at setup (a bearer token in the setup metadata, checked by the
 * same decoder as the HTTP endpoints) and every request needs an authenticated caller: the setup's,
 * or that of a token in the request's own metadata.
 */
@Configuration(proxyBeanMethods = false)
@EnableRSocketSecurity
class RSocketConfiguration {

	@Bean
	PayloadSocketAcceptorInterceptor rsocketSecurity(RSocketSecurity rsocket, ReactiveJwtDecoder jwts) {
		return rsocket
			.authorizePayload((authorize) -> authorize.setup().authenticated().anyRequest().authenticated()
				.anyExchange().permitAll())
			.jwt((jwt) -> jwt.authenticationManager(new JwtReactiveAuthenticationManager(jwts)))
			.build();
	}

	@Bean
	ServiceConnections serviceConnections(RSocketSettings settings) {
		return new ServiceConnections(settings.maxInboundBytes());
	}

	/**
	 * Boot's TCP server (spring.rsocket.server.port, address and customizers), with the one thing it
	 * has no property for: a cap on inbound frames and payloads, which RSocket accepts only together
	 * with the same cap on the transport's frame length.
	 */
	@Bean
	RSocketServerFactory rsocketServerFactory(RSocketProperties properties, RSocketSettings settings,
			ServiceConnections connections, ObjectProvider<RSocketServerCustomizer> customizers,
			ReactorResourceFactory resources) {
		RSocketProperties.Server server = properties.getServer();
		if (server.getTransport() != org.springframework.boot.rsocket.server.RSocketServer.Transport.TCP
				|| server.getMappingPath() != null || server.getSsl() != null && server.getSsl().isEnabled()) {
			throw new IllegalStateException("The notifier serves RSocket over plain TCP only (spring.rsocket.server.transport=tcp)");
		}
		int max = settings.maxInboundBytes();
		return (acceptor) -> {
			RSocketServer rsocket = RSocketServer.create(acceptor)
				.maxInboundPayloadSize(max)
				.fragment(max)
				.interceptors((registry) -> registry.forConnection(connections));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(rsocket));
			InetAddress address = server.getAddress();
			int port = (server.getPort() != null) ? server.getPort() : 0;
			TcpServer tcp = connections.observe(TcpServer.create()
				.runOn(resources.getLoopResources())
				.bindAddress(() -> (address != null) ? new InetSocketAddress(address, port) : new InetSocketAddress(port)));
			return new NettyRSocketServer(rsocket.bind(TcpServerTransport.create(tcp, max)), null);
		};
	}

}
