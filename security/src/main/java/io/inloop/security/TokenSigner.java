package io.inloop.security;

import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Mints tokens: RS256 with the configured private key (local mode's dev tokens), or HS256 with the
 * shared secret; with the configured {@code iss} and {@code aud}. A production host application
 * mints its own tokens with its own key (docs/browser-client.md).
 */
public class TokenSigner {

	private final JwtEncoder encoder;

	private final JwsAlgorithm algorithm;

	private final @Nullable String issuer;

	private final List<String> audiences;

	/** HS256 with {@code secret}, no issuer or audience. */
	public TokenSigner(String secret) {
		this(JwtSettings.ofSecret(secret));
	}

	/** RS256 with the PEM (PKCS#8) private key at {@code privateKey}, no issuer or audience. */
	public static TokenSigner withPrivateKey(Resource privateKey) {
		return withPrivateKey(PemKeys.privateKey(privateKey));
	}

	/** RS256 with {@code privateKey}, no issuer or audience. */
	public static TokenSigner withPrivateKey(RSAPrivateKey privateKey) {
		return new TokenSigner(privateKey, null, List.of());
	}

	/** As {@code settings} say: the private key if there is one, else the secret. */
	public TokenSigner(JwtSettings settings) {
		Resource privateKey = settings.privateKeyLocation();
		if (privateKey != null) {
			RSAPrivateKey key = PemKeys.privateKey(privateKey);
			this.encoder = NimbusJwtEncoder.withKeyPair(PemKeys.publicKeyOf(key), key)
				.algorithm(SignatureAlgorithm.RS256)
				.build();
			this.algorithm = SignatureAlgorithm.RS256;
		}
		else {
			this.encoder = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(settings.secretBytes(), "HmacSHA256"))
				.algorithm(MacAlgorithm.HS256)
				.build();
			this.algorithm = MacAlgorithm.HS256;
		}
		this.issuer = settings.issuer();
		this.audiences = List.copyOf(settings.audiences());
	}

	private TokenSigner(RSAPrivateKey key, @Nullable String issuer, List<String> audiences) {
		this.encoder = NimbusJwtEncoder.withKeyPair(PemKeys.publicKeyOf(key), key)
			.algorithm(SignatureAlgorithm.RS256)
			.build();
		this.algorithm = SignatureAlgorithm.RS256;
		this.issuer = issuer;
		this.audiences = audiences;
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
		if (this.issuer != null) {
			claims.issuer(this.issuer);
		}
		if (!this.audiences.isEmpty()) {
			claims.audience(this.audiences);
		}
		return this.encoder.encode(JwtEncoderParameters.from(JwsHeader.with(this.algorithm).build(), claims.build()))
			.getTokenValue();
	}

}
