package io.inloop.security;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * The common part of every Inloop security filter chain: stateless bearer-token authentication,
 * no sessions, cookies or login pages, and problem+json bodies for 401 and 403.
 */
public final class BearerTokenSecurity {

	private BearerTokenSecurity() {
	}

	/**
	 * Applies the common settings. {@code allowQueryParameter} also accepts the token as
	 * {@code ?access_token=}, for clients that cannot set headers (browser WebSocket, EventSource).
	 */
	public static ServerHttpSecurity apply(ServerHttpSecurity http, boolean allowQueryParameter) {
		ServerBearerTokenAuthenticationConverter tokens = new ServerBearerTokenAuthenticationConverter();
		tokens.setAllowUriQueryParameter(allowQueryParameter);
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint((exchange, ex) -> problem(exchange, HttpStatus.UNAUTHORIZED,
						"A valid bearer token is required"))
				.accessDeniedHandler((exchange, ex) -> problem(exchange, HttpStatus.FORBIDDEN,
						"The token does not grant access to this resource")))
			.oauth2ResourceServer((resourceServer) -> resourceServer.bearerTokenConverter(tokens)
				.authenticationEntryPoint((exchange, ex) -> problem(exchange, HttpStatus.UNAUTHORIZED,
						"A valid bearer token is required"))
				.jwt((jwt) -> {
				}));
	}

	private static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String detail) {
		var response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.getHeaders().set("WWW-Authenticate", "Bearer");
		}
		String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + detail + "\",\"instance\":\""
				+ exchange.getRequest().getPath().value().replace("\"", "") + "\"}";
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes())));
	}

}
