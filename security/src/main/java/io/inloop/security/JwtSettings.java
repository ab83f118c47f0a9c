package io.inloop.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * How callers' JWTs are validated, and, where tokens are minted, signed. Exactly one way to
 * validate: an RSA public key ({@code public-key-location}, RS256), the issuer's JWKS endpoint
 * ({@code jwk-set-uri}, RS256), or a shared HMAC secret ({@code secret}, HS256; whoever holds it can
 * mint tokens, so the worker refuses it).
 *
 * @param secret HMAC secret, at least 32 bytes; validates and signs HS256 tokens
 * @param publicKeyLocation PEM (X.509) RSA public key that validates RS256 tokens, e.g. {@code file:/run/secrets/jwt-public.pem}
 * @param privateKeyLocation PEM (PKCS#8) RSA private key that signs dev tokens; only where tokens are minted
 * @param jwkSetUri the issuer's JWKS endpoint, for RS256 tokens of an identity provider
 * @param issuer when set, a token's {@code iss} must equal it (and minted tokens carry it)
 * @param audiences when set, a token's {@code aud} must name one of them (and minted tokens name them)
 * @param maxLifetime the longest a token may live: {@code exp - iat}, and {@code exp - now}
 * @param clockSkew tolerance when checking {@code exp}, {@code nbf} and the lifetime
 * @param verifiedCacheSize how many tokens whose signature was verified are kept, so that a token
 * presented again is only validated (its claims and times), not parsed and verified again; 0: none
 * @param verifiedCacheTtl how long such a token is kept: how long a token signed with a key since
 * withdrawn from the JWKS endpoint may still be accepted (never past its own {@code exp})
 */
@ConfigurationProperties("inloop.security.jwt")
public record JwtSettings(@Nullable String secret, @Nullable Resource publicKeyLocation,
		@Nullable Resource privateKeyLocation, @Nullable String jwkSetUri, @Nullable String issuer,
		@DefaultValue List<String> audiences, @DefaultValue("24h") Duration maxLifetime,
		@DefaultValue("30s") Duration clockSkew, @DefaultValue("4096") int verifiedCacheSize,
		@DefaultValue("5m") Duration verifiedCacheTtl) {

	static final int MIN_SECRET_BYTES = 32;

	/** Settings that validate and sign HS256 tokens with {@code secret} and nothing else. */
	public static JwtSettings ofSecret(String secret) {
		return new JwtSettings(secret, null, null, null, null, List.of(), Duration.ofDays(1), Duration.ZERO, 0, Duration.ZERO);
	}

	byte[] secretBytes() {
		if (this.secret == null || this.secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
			throw new IllegalStateException("inloop.security.jwt.secret must be set to at least " + MIN_SECRET_BYTES
					+ " bytes (or set inloop.security.jwt.public-key-location or jwk-set-uri to validate RS256 tokens)");
		}
		return this.secret.getBytes(StandardCharsets.UTF_8);
	}

	/** Whether these settings hold something that can mint tokens (a secret or a private key). */
	public boolean canMintTokens() {
		return this.secret != null || this.privateKeyLocation != null;
	}

}
