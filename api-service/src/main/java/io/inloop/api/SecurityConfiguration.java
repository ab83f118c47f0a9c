package io.inloop.api;

import java.util.List;

import io.inloop.security.BearerTokenSecurity;
import io.inloop.security.OriginRefusal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Every endpoint needs a bearer token except health probes, the admin dashboard's static page, the
 * OpenAPI document and, where it exists, the dev-token minter.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, CorsSettings cors) {
		CorsConfigurationSource origins = corsSource(cors);
		return BearerTokenSecurity.apply(http, false)
			.addFilterBefore(new OriginRefusal(origins, "inloop.api.cors.allowed-origins"), SecurityWebFiltersOrder.CORS)
			.cors((spec) -> spec.configurationSource(origins))
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
				.pathMatchers("/actuator/prometheus").hasAuthority("SCOPE_metrics")
				// The dashboard's page, script and style hold no data (docs/admin.md); its API needs the scope
				.pathMatchers(HttpMethod.GET, "/admin", "/admin/dashboard.js", "/admin/dashboard.css").permitAll()
				.pathMatchers("/admin/**").hasAuthority("SCOPE_admin")
				.pathMatchers(HttpMethod.POST, "/api/dev/tokens").permitAll()
				// The OpenAPI document: the API's shape, no data (docs/api.md)
				.pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**").permitAll()
				.pathMatchers(HttpMethod.OPTIONS, "/api/**").permitAll()
				.anyExchange().authenticated())
			.build();
	}

	private static CorsConfigurationSource corsSource(CorsSettings settings) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		// Registered with no origin too: pages of every other origin are then refused readably (OriginRefusal)
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(settings.allowedOrigins());
		cors.setAllowedMethods(List.of("GET", "POST"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"));
		cors.setExposedHeaders(List.of("Location"));
		source.registerCorsConfiguration("/api/**", cors);
		return source;
	}

	/** @param allowedOrigins browser origins that may call the API (e.g. the notifier's demo page) */
	@ConfigurationProperties("inloop.api.cors")
	record CorsSettings(@DefaultValue List<String> allowedOrigins) {
	}

}
