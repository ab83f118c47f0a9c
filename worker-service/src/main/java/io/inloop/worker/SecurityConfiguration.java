package io.inloop.worker;

import io.inloop.security.BearerTokenSecurity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/** The management port: health probes are open; metrics need a token with scope {@code metrics}. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain managementSecurity(ServerHttpSecurity http) {
		return BearerTokenSecurity.apply(http, false)
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
				.pathMatchers("/actuator/prometheus").hasAuthority("SCOPE_metrics")
				.anyExchange().denyAll())
			.build();
	}

}
