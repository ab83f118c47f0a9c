package io.inloop.notifier.rsocket;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.rsocket.EnableRSocketSecurity;
import org.springframework.security.config.annotation.rsocket.RSocketSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.rsocket.core.PayloadSocketAcceptorInterceptor;

/** Every request needs a bearer token in its metadata, checked by the same decoder as the HTTP ones. */
@Configuration(proxyBeanMethods = false)
@EnableRSocketSecurity
class RSocketConfiguration {

	@Bean
	PayloadSocketAcceptorInterceptor rsocketSecurity(RSocketSecurity rsocket, ReactiveJwtDecoder jwts) {
		return rsocket
			.authorizePayload((authorize) -> authorize.anyRequest().authenticated().anyExchange().permitAll())
			.jwt((jwt) -> jwt.authenticationManager(new JwtReactiveAuthenticationManager(jwts)))
			.build();
	}

}
