package io.inloop.bench.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTokensTests {

	private static final String SECRET = "a-local-stack-secret-of-at-least-32-bytes";

	@Test
	void tokensCarryTheUserAndScopesAndVerifyWithTheSecretAsTheServicesReadIt(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("jwt-secret"), SECRET + "\n");
		SignedJWT token = SignedJWT.parse(LocalTokens.of(file).sign("bench-1", List.of("metrics")));
		assertThat(token.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
		assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
		assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("bench-1");
		assertThat(token.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("metrics");
		assertThat(token.getJWTClaimsSet().getExpirationTime().toInstant()).isAfter(Instant.now().plusSeconds(3000));
	}

	@Test
	void theLocalStacksPrivateKeySignsRs256TokensThatItsPublicKeyVerifies(@TempDir Path dir) throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		java.security.KeyPair pair = generator.generateKeyPair();
		Path file = Files.writeString(dir.resolve("jwt-private.pem"), "-----BEGIN PRIVATE KEY-----\n"
				+ java.util.Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
		SignedJWT token = SignedJWT.parse(LocalTokens.of(file).sign("bench-3", List.of("metrics")));
		assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
		assertThat(token.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
				(java.security.interfaces.RSAPublicKey) pair.getPublic()))).isTrue();
	}

	@Test
	void aTokenWithoutScopesHasNoScopeClaim(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("jwt-secret"), SECRET);
		SignedJWT token = SignedJWT.parse(LocalTokens.of(file).sign("bench-2", List.of()));
		assertThat(token.getJWTClaimsSet().getClaim("scope")).isNull();
	}

}
