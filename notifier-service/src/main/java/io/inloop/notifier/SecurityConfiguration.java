package io.inloop.notifier;

import io.inloop.security.BearerTokenSecurity;

import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Probes and the demo page are open; everything else, {@code /ws} first of all, needs a valid
 * JWT, in the {@code Authorization} header or, for browsers' WebSockets, as {@code ?access_token=}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain notifierSecurity(ServerHttpSecurity http) {
		return BearerTokenSecurity.apply(http, true)
			.authorizeExchange((exchanges) -> exchanges.matchers(EndpointRequest.to("health", "info"))
				.permitAll()
				.pathMatchers(HttpMethod.GET, "/", "/index.html", "/favicon.ico")
				.permitAll()
				.anyExchange()
				.authenticated())
			.build();
	}

}
