package io.inloop.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.io.JsonStringEncoder;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
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
	 * {@code ?access_token=}; no Inloop service does (a URL ends up in logs): the notifier moves an
	 * old client's query token into the header before the request gets here.
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

	/**
	 * Answers a request that Spring Security's firewall refuses (an encoded slash or {@code ..} in
	 * the path, a bad header) as problem+json like every other refusal, rather than an empty 400.
	 */
	public static ServerExchangeRejectedHandler rejectedRequests() {
		return (exchange, ex) -> problem(exchange, ProblemTypes.REQUEST_REJECTED, HttpStatus.BAD_REQUEST,
				"The request was rejected: " + ex.getMessage());
	}

	private static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String detail) {
		return problem(exchange, ProblemTypes.forRefusal(status), status, detail);
	}

	private static Mono<Void> problem(ServerWebExchange exchange, URI type, HttpStatus status, String detail) {
		var response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.getHeaders().set("WWW-Authenticate", "Bearer");
		}
		byte[] body = problemJson(type, status, detail, exchange.getRequest().getPath().value());
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	/**
	 * The problem+json body (RFC 9457) of a refused request, for the few paths that answer outside
	 * the filter chain (the notifier's WebSocket handshake) to answer alike: typed
	 * {@link ProblemTypes#UNAUTHORIZED unauthorized} or {@link ProblemTypes#FORBIDDEN forbidden} by
	 * its status, {@code about:blank} otherwise.
	 */
	public static byte[] problemJson(HttpStatus status, String detail, String instance) {
		return problemJson(ProblemTypes.forRefusal(status), status, detail, instance);
	}

	/** The problem+json body of a refused request of the given {@link ProblemTypes type}. */
	public static byte[] problemJson(URI type, HttpStatus status, String detail, String instance) {
		// The detail and the path may hold what the caller sent (an Origin header): escaped as JSON strings
		JsonStringEncoder json = JsonStringEncoder.getInstance();
		String body = "{\"type\":\"" + type + "\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + new String(json.quoteAsCharArray(detail)) + "\",\"instance\":\""
				+ new String(json.quoteAsCharArray(instance)) + "\"}";
		return body.getBytes(StandardCharsets.UTF_8);
	}

}
