package io.inloop.worker;

import io.inloop.security.BearerTokenSecurity;
import io.inloop.security.JwtSettings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The management port: health probes are open; metrics need a token with scope {@code metrics}.
 * That is all the worker uses tokens for, so it only validates them: it runs handler code, and
 * must not hold a key that mints tokens (an HMAC secret, a private key) for any user or scope.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain managementSecurity(ServerHttpSecurity http, JwtSettings tokens) {
		if (tokens.canMintTokens()) {
			throw new IllegalStateException("The worker runs handler code and must not hold a key that mints tokens: "
					+ "unset inloop.security.jwt.secret and private-key-location, and give it the public key "
					+ "(inloop.security.jwt.public-key-location) or jwk-set-uri");
		}
		return BearerTokenSecurity.apply(http, false)
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
				.pathMatchers("/actuator/prometheus").hasAuthority("SCOPE_metrics")
				.anyExchange().denyAll())
			.build();
	}

}
