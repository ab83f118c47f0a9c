package io.inloop.bench.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs HS256 tokens the way the local stack's dev tokens are (subject, issued, an hour's expiry,
 * space-separated {@code scope}), with the secret {@code ./inloop start} keeps in
 * {@code .inloop/jwt-secret}: tokens minted beforehand without a request per user.
 */
public final class LocalTokens {

	private static final Duration LIFETIME = Duration.ofHours(1);

	private final MACSigner signer;

	private LocalTokens(MACSigner signer) {
		this.signer = signer;
	}

	/** The secret is the file's text, as the services read it ({@code inloop.security.jwt.secret}). */
	public static LocalTokens of(Path secretFile) {
		try {
			return new LocalTokens(new MACSigner(Files.readString(secretFile).trim().getBytes(StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the token secret " + secretFile, ex);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("Not an HS256 secret: " + secretFile + " (" + ex.getMessage() + ")", ex);
		}
	}

	public String sign(String user, List<String> scopes) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(LIFETIME)));
		if (!scopes.isEmpty()) {
			claims.claim("scope", String.join(" ", scopes));
		}
		SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
		try {
			token.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign a token for " + user, ex);
		}
		return token.serialize();
	}

}
