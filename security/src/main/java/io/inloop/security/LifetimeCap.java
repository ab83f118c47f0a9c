package io.inloop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token must expire, and within {@code max} of when it was issued and of now: a leaked token
 * is good for hours at most, however its issuer set {@code exp}.
 */
final class LifetimeCap implements OAuth2TokenValidator<Jwt> {

	private final Duration max;

	private final Duration clockSkew;

	private final Clock clock;

	LifetimeCap(Duration max, Duration clockSkew, Clock clock) {
		this.max = max;
		this.clockSkew = clockSkew;
		this.clock = clock;
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt token) {
		Instant expiresAt = token.getExpiresAt();
		if (expiresAt == null) {
			return failure("The token has no exp");
		}
		Instant issuedAt = token.getIssuedAt();
		if (issuedAt != null && Duration.between(issuedAt, expiresAt).compareTo(this.max) > 0) {
			return failure("The token lives longer (exp - iat) than " + this.max);
		}
		if (Duration.between(this.clock.instant(), expiresAt).compareTo(this.max.plus(this.clockSkew)) > 0) {
			return failure("The token expires more than " + this.max + " from now");
		}
		return OAuth2TokenValidatorResult.success();
	}

	private static OAuth2TokenValidatorResult failure(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
	}

}
