package io.inloop.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Mints HS256 tokens with the configured secret: for dev tokens in local mode and for tests. A
 * production host application mints its own tokens with the same secret (docs/protocol.md).
 */
public class TokenSigner {

	private final JwtEncoder encoder;

	public TokenSigner(String secret) {
		this(new JwtSettings(secret, null, Duration.ZERO));
	}

	TokenSigner(JwtSettings settings) {
		this.encoder = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(settings.secretBytes(), "HmacSHA256"))
			.algorithm(MacAlgorithm.HS256)
			.build();
	}

	/** A token for {@code subject} that expires after {@code ttl}, with the given scopes. */
	public String sign(String subject, Duration ttl, Collection<String> scopes) {
		return sign(subject, Instant.now().plus(ttl), scopes);
	}

	/** A token for {@code subject} that expires at {@code expiresAt}, which may be in the past. */
	public String sign(String subject, Instant expiresAt, Collection<String> scopes) {
		Instant issuedAt = expiresAt.minusSeconds(60).isBefore(Instant.now()) ? expiresAt.minusSeconds(60) : Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder().subject(subject).issuedAt(issuedAt).expiresAt(expiresAt);
		if (!scopes.isEmpty()) {
			claims.claim("scope", String.join(" ", scopes));
		}
		return this.encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
			.getTokenValue();
	}

}
