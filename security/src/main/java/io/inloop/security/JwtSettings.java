package io.inloop.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers' JWTs are validated: with a shared HMAC secret (HS256), or, when
 * {@code jwk-set-uri} is set, with the issuer's public keys (RS256).
 *
 * @param secret HMAC secret, at least 32 bytes; also signs dev tokens
 * @param jwkSetUri the issuer's JWKS endpoint; overrides the secret for validation
 * @param clockSkew tolerance when checking expiry
 */
@ConfigurationProperties("inloop.security.jwt")
public record JwtSettings(@Nullable String secret, @Nullable String jwkSetUri,
		@DefaultValue("30s") Duration clockSkew) {

	static final int MIN_SECRET_BYTES = 32;

	byte[] secretBytes() {
		if (this.secret == null || this.secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
			throw new IllegalStateException("inloop.security.jwt.secret must be set to at least " + MIN_SECRET_BYTES
					+ " bytes (or set inloop.security.jwt.jwk-set-uri to validate RS256 tokens)");
		}
		return this.secret.getBytes(StandardCharsets.UTF_8);
	}

}
