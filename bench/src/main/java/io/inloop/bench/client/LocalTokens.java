package io.inloop.bench.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs tokens the way the local stack's dev tokens are (subject, issued, an hour's expiry,
 * space-separated {@code scope}): RS256 with the private key {@code ./inloop start} keeps in
 * {@code .inloop/jwt-private.pem}, or HS256 with a stack's shared secret: tokens minted beforehand
 * without a request per user.
 */
public final class LocalTokens {

	private static final Duration LIFETIME = Duration.ofHours(1);

	private final JWSSigner signer;

	private final JWSAlgorithm algorithm;

	private LocalTokens(JWSSigner signer, JWSAlgorithm algorithm) {
		this.signer = signer;
		this.algorithm = algorithm;
	}

	/**
	 * A PEM (PKCS#8) RSA private key signs RS256; any other text is an HMAC secret
	 * ({@code inloop.security.jwt.secret}) and signs HS256.
	 */
	public static LocalTokens of(Path secretFile) {
		try {
			String text = Files.readString(secretFile).trim();
			if (text.startsWith("-----BEGIN PRIVATE KEY-----")) {
				byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
				PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
				return new LocalTokens(new RSASSASigner(key), JWSAlgorithm.RS256);
			}
			return new LocalTokens(new MACSigner(text.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Not an RSA private key: " + secretFile + " (" + ex.getMessage() + ")", ex);
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
		SignedJWT token = new SignedJWT(new JWSHeader(this.algorithm), claims.build());
		try {
			token.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign a token for " + user, ex);
		}
		return token.serialize();
	}

}
