package io.inloop.notifier.websocket;

import java.util.List;
import java.util.Locale;

import io.inloop.history.Cursor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsConfiguration;

/**
 * What an upgrade request to {@code /ws} asks for, read once: the bearer token of its header (where
 * {@link QueryToken} also puts an {@code ?access_token=}), the cursor to resume after, and whether
 * its origin may connect. Either {@link #refusal()} says why the request is refused, or it is
 * authenticated before the upgrade (a token) or by its first message (none: an {@link AuthFrame}).
 */
final class Handshake {

	private static final String BEARER = "bearer ";

	private final @Nullable String token;

	private final @Nullable String since;

	private final @Nullable Refusal refusal;

	private Handshake(@Nullable String token, @Nullable String since, @Nullable Refusal refusal) {
		this.token = token;
		this.since = since;
		this.refusal = refusal;
	}

	/** Whether {@code uri} (path and query) is the WebSocket endpoint's. */
	static boolean isWebSocketPath(String uri) {
		return uri.startsWith(WebSocketGateway.PATH) && (uri.length() == WebSocketGateway.PATH.length()
				|| uri.charAt(WebSocketGateway.PATH.length()) == '?');
	}

	/** {@code secure}: the request came over TLS, so the notifier's own origin is {@code https://<host>}. */
	static Handshake of(HttpRequest request, CorsConfiguration origins, boolean secure) {
		if (!HttpMethod.GET.equals(request.method()) || !request.headers()
			.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
			return refused(HttpStatus.BAD_REQUEST, "Expected a WebSocket upgrade (GET with Upgrade: websocket)");
		}
		String origin = request.headers().get(HttpHeaderNames.ORIGIN);
		if (origin != null && !sameOrigin(origin, request, secure) && origins.checkOrigin(origin) == null) {
			return refused(HttpStatus.FORBIDDEN, "Origin not allowed");
		}
		QueryStringDecoder query = new QueryStringDecoder(request.uri());
		String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
		String token = null;
		if (header != null) {
			token = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
					? header.substring(BEARER.length()).trim() : "";
			if (token.isEmpty()) {
				return refused(HttpStatus.UNAUTHORIZED, "A valid bearer token is required");
			}
		}
		return new Handshake(token, first(query.parameters().get("since")), null);
	}

	private static Handshake refused(HttpStatus status, String detail) {
		return new Handshake(null, null, new Refusal(status, detail));
	}

	/** Browsers send an {@code Origin} to their own server too: that one is always allowed. */
	private static boolean sameOrigin(String origin, HttpRequest request, boolean secure) {
		String host = request.headers().get(HttpHeaderNames.HOST);
		return host != null && origin.toLowerCase(Locale.ROOT)
			.equals((secure ? "https://" : "http://") + host.toLowerCase(Locale.ROOT));
	}

	private static @Nullable String first(@Nullable List<String> values) {
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	@Nullable Refusal refusal() {
		return this.refusal;
	}

	/** The bearer token of the request; {@code null}: the client authenticates with its first message. */
	@Nullable String token() {
		return this.token;
	}

	/**
	 * The cursor to resume after, {@code null} for none.
	 * @throws IllegalArgumentException if {@code since} is not a cursor
	 */
	@Nullable Cursor since() {
		return (this.since != null && !this.since.isEmpty()) ? Cursor.parse(this.since) : null;
	}

	/** Why a handshake is answered with an HTTP error instead of {@code 101}. */
	record Refusal(HttpStatus status, String detail) {
	}

}
