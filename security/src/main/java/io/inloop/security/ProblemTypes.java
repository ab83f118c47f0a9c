package io.inloop.security;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * The {@code type} URIs of Inloop's problem+json answers (RFC 9457): one stable, absolute URI per
 * error kind, {@code https://inloop.dev/problems/<kind>}, that a client may switch on. They are
 * identifiers, not links; docs/api.md explains each kind. This class makes them and names the
 * kinds that the shared security filter chain answers with; each service lists its own.
 */
public final class ProblemTypes {

	/** What every Inloop problem type starts with. */
	public static final String BASE = "https://inloop.dev/problems/";

	/** 401: no bearer token, or one that is not valid (signature, expiry, issuer, audience). */
	public static final URI UNAUTHORIZED = of("unauthorized");

	/** 403: a valid token without the scope the resource needs. */
	public static final URI FORBIDDEN = of("forbidden");

	/** 400: refused before reaching any endpoint (an encoded slash or {@code ..} in the path, a bad header). */
	public static final URI REQUEST_REJECTED = of("request-rejected");

	/** 403: a browser page of an origin the service does not allow ({@link OriginRefusal}). */
	public static final URI ORIGIN_NOT_ALLOWED = of("origin-not-allowed");

	/** 431: the request's headers are larger than the server takes ({@link UnreadableRequests}). */
	public static final URI HEADERS_TOO_LARGE = of("headers-too-large");

	/** 414: the request line is longer than the server takes ({@link UnreadableRequests}). */
	public static final URI URI_TOO_LONG = of("uri-too-long");

	private ProblemTypes() {
	}

	/** The type URI of an error kind, e.g. {@code job-not-found}. */
	public static URI of(String kind) {
		return URI.create(BASE + kind);
	}

	/** The type of a 401 or 403 refusal, {@code about:blank} for any other status. */
	static URI forRefusal(HttpStatus status) {
		return switch (status) {
			case UNAUTHORIZED -> UNAUTHORIZED;
			case FORBIDDEN -> FORBIDDEN;
			default -> URI.create("about:blank");
		};
	}

}
