package io.inloop.security;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Issuer, audience and lifetime checks, and RS256 keys where only the minter holds the private one. */
class TokenValidationTests {

	private static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

	@TempDir
	static Path keys;

	static TestKeyPair pair;

	private final ReactiveWebApplicationContextRunner contexts = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class));

	@BeforeAll
	static void writeKeys() throws Exception {
		pair = TestKeyPair.writeTo(keys);
	}

	@Test
	void aTokenSignedWithThePrivateKeyIsAcceptedWhereOnlyThePublicKeyIsConfigured() {
		this.contexts.withPropertyValues(pair.publicKeyLocation(), pair.privateKeyLocation()).run((minter) -> {
			String token = minter.getBean(TokenSigner.class).sign("alice", Duration.ofMinutes(5), List.of("metrics"));
			assertThat(header(token)).contains("\"alg\":\"RS256\"");
			this.contexts.withPropertyValues(pair.publicKeyLocation()).run((validator) -> {
				assertThat(validator).doesNotHaveBean(TokenSigner.class);
				StepVerifier.create(validator.getBean(ReactiveJwtDecoder.class).decode(token))
					.assertNext((Jwt jwt) -> assertThat(jwt.getSubject()).isEqualTo("alice"))
					.verifyComplete();
			});
		});
	}

	@Test
	void anHs256TokenIsRefusedWhereThePublicKeyIsConfigured() {
		String hs256 = new TokenSigner(SECRET).sign("mallory", Duration.ofMinutes(5), List.of("admin"));
		this.contexts.withPropertyValues(pair.publicKeyLocation())
			.run((context) -> StepVerifier.create(context.getBean(ReactiveJwtDecoder.class).decode(hs256))
				.expectError(BadJwtException.class)
				.verify());
	}

	@Test
	void aSecretAndAPublicKeyTogetherFailStartup() {
		this.contexts.withPropertyValues(pair.publicKeyLocation(), "inloop.security.jwt.secret=" + SECRET)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Set only one of inloop.security.jwt.public-key-location"));
	}

	@Test
	void theIssuerIsCheckedWhenConfiguredAndMintedTokensCarryIt() {
		String foreign = new TokenSigner(SECRET).sign("alice", Duration.ofMinutes(5), List.of());
		this.contexts
			.withPropertyValues("inloop.security.jwt.secret=" + SECRET, "inloop.security.jwt.issuer=https://app.example")
			.run((context) -> {
				ReactiveJwtDecoder decoder = context.getBean(ReactiveJwtDecoder.class);
				StepVerifier.create(decoder.decode(foreign)).expectErrorSatisfies((ex) -> assertThat(ex)
					.isInstanceOf(JwtValidationException.class)
					.hasMessageContaining("iss")).verify();
				String ours = context.getBean(TokenSigner.class).sign("alice", Duration.ofMinutes(5), List.of());
				StepVerifier.create(decoder.decode(ours))
					.assertNext((jwt) -> assertThat(jwt.getIssuer()).hasToString("https://app.example"))
					.verifyComplete();
			});
	}

	@Test
	void theAudienceIsCheckedWhenConfigured() throws Exception {
		java.util.Date exp = java.util.Date.from(Instant.now().plusSeconds(300));
		String forOthers = hs256(new JWTClaimsSet.Builder().subject("alice").expirationTime(exp).audience("billing"));
		String forUs = hs256(new JWTClaimsSet.Builder().subject("alice").expirationTime(exp)
			.audience(List.of("billing", "inloop")));
		String forNobody = hs256(new JWTClaimsSet.Builder().subject("alice").expirationTime(exp));
		this.contexts.withPropertyValues("inloop.security.jwt.secret=" + SECRET, "inloop.security.jwt.audiences=inloop")
			.run((context) -> {
				ReactiveJwtDecoder decoder = context.getBean(ReactiveJwtDecoder.class);
				StepVerifier.create(decoder.decode(forOthers)).expectError(JwtValidationException.class).verify();
				StepVerifier.create(decoder.decode(forNobody)).expectError(JwtValidationException.class).verify();
				StepVerifier.create(decoder.decode(forUs)).expectNextCount(1).verifyComplete();
			});
	}

	@Test
	void aTokenThatLivesLongerThanTheCapIsRefused() throws Exception {
		Instant now = Instant.now();
		String longLived = hs256(new JWTClaimsSet.Builder().subject("alice")
			.issueTime(java.util.Date.from(now))
			.expirationTime(java.util.Date.from(now.plus(Duration.ofHours(2)))));
		String longLivedWithoutIat = hs256(new JWTClaimsSet.Builder().subject("alice")
			.expirationTime(java.util.Date.from(now.plus(Duration.ofDays(365)))));
		String backdatedButFarOff = hs256(new JWTClaimsSet.Builder().subject("alice")
			.issueTime(java.util.Date.from(now.plus(Duration.ofDays(364))))
			.expirationTime(java.util.Date.from(now.plus(Duration.ofDays(365)))));
		String withinTheCap = hs256(new JWTClaimsSet.Builder().subject("alice")
			.issueTime(java.util.Date.from(now))
			.expirationTime(java.util.Date.from(now.plus(Duration.ofMinutes(59)))));
		String withoutExp = hs256(new JWTClaimsSet.Builder().subject("alice").issueTime(java.util.Date.from(now)));
		this.contexts.withPropertyValues("inloop.security.jwt.secret=" + SECRET, "inloop.security.jwt.max-lifetime=1h")
			.run((context) -> {
				ReactiveJwtDecoder decoder = context.getBean(ReactiveJwtDecoder.class);
				for (String refused : List.of(longLived, longLivedWithoutIat, backdatedButFarOff, withoutExp)) {
					StepVerifier.create(decoder.decode(refused)).expectError(JwtValidationException.class).verify();
				}
				StepVerifier.create(decoder.decode(withinTheCap)).expectNextCount(1).verifyComplete();
			});
	}

	@Test
	void theDefaultCapIsADay() {
		this.contexts.withPropertyValues("inloop.security.jwt.secret=" + SECRET).run((context) -> {
			TokenSigner signer = context.getBean(TokenSigner.class);
			ReactiveJwtDecoder decoder = context.getBean(ReactiveJwtDecoder.class);
			StepVerifier.create(decoder.decode(signer.sign("alice", Duration.ofHours(23), List.of())))
				.expectNextCount(1)
				.verifyComplete();
			StepVerifier.create(decoder.decode(signer.sign("alice", Duration.ofHours(25), List.of())))
				.expectError(JwtValidationException.class)
				.verify();
		});
	}

	private static String hs256(JWTClaimsSet.Builder claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
		jwt.sign(new MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		return jwt.serialize();
	}

	private static String header(String token) {
		return new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
	}

}
