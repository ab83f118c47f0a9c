package io.inloop.security;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * A decoder that verifies each token's signature once: a caller presents the same token on every
 * request, and parsing it and checking its RSA signature again each time was 3-5 % of
 * api-service's CPU under load. A token seen before is taken from a bounded cache (keyed by the
 * whole token, signature included, so no other token can match it) and validated again on every
 * use by the same validator (expiry, lifetime cap, issuer, audience: no cryptography), so it is
 * refused the moment it expires, as before.
 *
 * <p>The cost: a token signed with a key that the issuer has since withdrawn from its JWKS
 * endpoint is still accepted for up to {@code ttl} after it was first verified (never past its own
 * {@code exp}). Only verified tokens enter the cache.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder verifier;

	private final OAuth2TokenValidator<Jwt> validator;

	private final Cache<String, Jwt> verified;

	VerifiedTokens(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, int size, Duration ttl) {
		this.verifier = verifier;
		this.validator = validator;
		this.verified = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		Jwt known = this.verified.getIfPresent(token);
		if (known == null) {
			return this.verifier.decode(token).doOnNext((jwt) -> this.verified.put(token, jwt));
		}
		OAuth2TokenValidatorResult result = this.validator.validate(known);
		if (result.hasErrors()) {
			this.verified.invalidate(token);
			return Mono.error(new JwtValidationException(result.getErrors().iterator().next().getDescription(),
					result.getErrors()));
		}
		return Mono.just(known);
	}

}
