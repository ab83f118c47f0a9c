package io.inloop.notifier;

import java.util.List;

import io.inloop.notifier.subscriptions.ConnectionSettings;
import io.inloop.security.BearerTokenSecurity;
import io.inloop.security.OriginRefusal;

import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Probes and the demo page are open; everything else, {@code /events} first of all, needs a valid
 * JWT in the {@code Authorization} header (an older client's {@code ?access_token=} is moved there
 * before the request reaches WebFlux, so that no log sees it: the WebSocket gateway does that).
 * Browsers may connect from the allowed origins only: an event stream from any other origin is
 * refused with a 403 that the page can read ({@link OriginRefusal}). ({@code /ws} never reaches this chain: its gateway checks the same
 * token with the same decoder, and the same origins, before the upgrade.)
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain notifierSecurity(ServerHttpSecurity http, ConnectionSettings settings) {
		UrlBasedCorsConfigurationSource origins = browserOrigins(settings.allowedOrigins());
		return BearerTokenSecurity.apply(http, false)
			.addFilterBefore(new OriginRefusal(origins, "inloop.notifier.connections.allowed-origins"),
					SecurityWebFiltersOrder.CORS)
			.cors((cors) -> cors.configurationSource(origins))
			.authorizeExchange((exchanges) -> exchanges.matchers(EndpointRequest.to("health", "info"))
				.permitAll()
				.matchers(EndpointRequest.to("prometheus"))
				.hasAuthority("SCOPE_metrics")
				.pathMatchers(HttpMethod.GET, "/", "/index.html", "/favicon.ico", "/inloop.js", "/inloop.d.ts",
						"/inloop-toasts.js", "/inloop-toasts.d.ts", "/inloop-toasts.css", "/demo/**")
				.permitAll()
				.anyExchange()
				.authenticated())
			.build();
	}

	private static UrlBasedCorsConfigurationSource browserOrigins(List<String> origins) {
		CorsConfiguration streams = new CorsConfiguration();
		streams.setAllowedOrigins(origins);
		streams.setAllowedMethods(List.of("GET"));
		streams.setAllowedHeaders(List.of("Authorization", "Last-Event-ID", "Cache-Control"));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/events", streams);
		return source;
	}

}
