package io.inloop.security;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Refuses a browser's request from an origin that the service does not allow, in a way the page can
 * read: {@code 403} problem+json typed {@link ProblemTypes#ORIGIN_NOT_ALLOWED origin-not-allowed},
 * with {@code Access-Control-Allow-Origin} set to that origin, so that a client library can tell the
 * developer what to configure instead of retrying forever (Spring's CORS check answers an empty
 * {@code 403} that the page cannot see). Its preflight is answered as allowed, for the same reason:
 * otherwise the browser never sends the request and the page sees only a network error. Nothing is
 * given away: every request from that origin is refused before it reaches anything. Requests without
 * an {@code Origin}, from the service's own origin, or to paths with no CORS settings pass; so do
 * allowed origins, to the CORS check that follows. Goes before the security chain's CORS filter.
 */
public final class OriginRefusal implements WebFilter {

	private final CorsConfigurationSource origins;

	private final String setting;

	/**
	 * @param origins the paths for browsers and the origins allowed on each
	 * @param setting the property that lists the allowed origins, named in the refusal
	 */
	public OriginRefusal(CorsConfigurationSource origins, String setting) {
		this.origins = origins;
		this.setting = setting;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String origin = request.getHeaders().getOrigin();
		if (origin == null || !CorsUtils.isCorsRequest(request)) {
			return chain.filter(exchange);
		}
		CorsConfiguration allowed = this.origins.getCorsConfiguration(exchange);
		if (allowed == null || allowed.checkOrigin(origin) != null) {
			return chain.filter(exchange);
		}
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		headers.setAccessControlAllowOrigin(origin);
		headers.setVary(List.of(HttpHeaders.ORIGIN, HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD,
				HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS));
		if (CorsUtils.isPreFlightRequest(request)) {
			HttpMethod method = request.getHeaders().getAccessControlRequestMethod();
			headers.setAccessControlAllowMethods(List.of((method != null) ? method : HttpMethod.GET));
			headers.setAccessControlAllowHeaders(request.getHeaders().getAccessControlRequestHeaders());
			response.setStatusCode(HttpStatus.OK);
			return response.setComplete();
		}
		response.setStatusCode(HttpStatus.FORBIDDEN);
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] body = BearerTokenSecurity.problemJson(ProblemTypes.ORIGIN_NOT_ALLOWED, HttpStatus.FORBIDDEN,
				"Pages of origin " + origin + " may not call this service; its operator allows an origin with "
						+ this.setting,
				request.getPath().value());
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
