package io.inloop.cli.token;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.inloop.cli.CommandRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTests {

	@TempDir
	Path home;

	private Path privateKey;

	private RSAPublicKey publicKey;

	@BeforeEach
	void keyPair() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		this.privateKey = this.home.resolve("jwt-private.pem");
		Files.writeString(this.privateKey, "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
		this.publicKey = (RSAPublicKey) pair.getPublic();
	}

	@Test
	void aServiceTokenForSubmittingForUsersIsSignedWithTheStacksKey() throws Exception {
		CommandRun run = CommandRun.of("token", "--private-key", this.privateKey.toString(), "--subject",
				"billing-service", "--scope", "jobs:submit-for", "--ttl", "30m");

		assertThat(run.exitCode()).as(run.err()).isZero();
		assertThat(run.lines()).hasSize(1);
		SignedJWT token = SignedJWT.parse(run.lines().get(0));
		assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(token.verify(new RSASSAVerifier(this.publicKey))).isTrue();
		JWTClaimsSet claims = token.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("billing-service");
		assertThat(claims.getStringClaim("scope")).isEqualTo("jobs:submit-for");
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.isEqualTo(Duration.ofMinutes(30));
		assertThat(run.err()).contains("billing-service").contains("jobs:submit-for").contains("expires");
	}

	@Test
	void scopesIssuerAndAudienceAreClaimsAsTheServicesCheckThem() throws Exception {
		CommandRun run = CommandRun.of("token", "--private-key", this.privateKey.toString(), "--subject", "ops",
				"--scope", "metrics,events:all", "--issuer", "https://id.example.com", "--audience", "inloop");

		assertThat(run.exitCode()).as(run.err()).isZero();
		JWTClaimsSet claims = SignedJWT.parse(run.lines().get(0)).getJWTClaimsSet();
		assertThat(claims.getStringClaim("scope")).isEqualTo("metrics events:all");
		assertThat(claims.getIssuer()).isEqualTo("https://id.example.com");
		assertThat(claims.getAudience()).containsExactly("inloop");
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.as("the default lifetime").isEqualTo(Duration.ofHours(1));
	}

	@Test
	void aMissingKeyALongLifetimeAndABadScopeAreRefusedWithoutAToken() {
		CommandRun noKey = CommandRun.of("token", "--private-key", this.home.resolve("nope.pem").toString(),
				"--subject", "alice");
		assertThat(noKey.exitCode()).isEqualTo(2);
		assertThat(noKey.out()).isEmpty();
		assertThat(noKey.err()).contains("No private key").contains("inloop start");

		CommandRun tooLong = CommandRun.of("token", "--private-key", this.privateKey.toString(), "--subject",
				"alice", "--ttl", "25h");
		assertThat(tooLong.exitCode()).isNotZero();
		assertThat(tooLong.out()).isEmpty();
		assertThat(tooLong.err()).contains("at most 24h");

		CommandRun badScope = CommandRun.of("token", "--private-key", this.privateKey.toString(), "--subject",
				"alice", "--scope", "jobs submit");
		assertThat(badScope.exitCode()).isEqualTo(2);
		assertThat(badScope.out()).isEmpty();

		CommandRun notAKey = CommandRun.of("token", "--private-key", this.home.toString(), "--subject", "alice");
		assertThat(notAKey.exitCode()).isEqualTo(2);
	}

}
