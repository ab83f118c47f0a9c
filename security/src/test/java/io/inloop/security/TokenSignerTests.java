package io.inloop.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSignerTests {

	private static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

	private final ReactiveWebApplicationContextRunner contexts = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class));

	@Test
	void signedTokenIsAcceptedAndCarriesSubjectAndScopes() {
		this.contexts.withPropertyValues("inloop.security.jwt.secret=" + SECRET).run((context) -> {
			String token = context.getBean(TokenSigner.class).sign("alice", Duration.ofMinutes(5), List.of("events:all"));
			StepVerifier.create(context.getBean(ReactiveJwtDecoder.class).decode(token)).assertNext((Jwt jwt) -> {
				assertThat(jwt.getSubject()).isEqualTo("alice");
				assertThat(jwt.getClaimAsString("scope")).isEqualTo("events:all");
			}).verifyComplete();
		});
	}

	@Test
	void expiredTokenIsRefused() {
		this.contexts.withPropertyValues("inloop.security.jwt.secret=" + SECRET, "inloop.security.jwt.clock-skew=0s")
			.run((context) -> {
				String token = context.getBean(TokenSigner.class).sign("alice", Instant.now().minusSeconds(5), List.of());
				StepVerifier.create(context.getBean(ReactiveJwtDecoder.class).decode(token))
					.expectError(JwtValidationException.class)
					.verify();
			});
	}

	@Test
	void tokenSignedWithAnotherSecretIsRefused() {
		String forged = new TokenSigner("another-secret-of-at-least-thirty-two-bytes").sign("alice",
				Duration.ofMinutes(5), List.of());
		this.contexts.withPropertyValues("inloop.security.jwt.secret=" + SECRET)
			.run((context) -> StepVerifier.create(context.getBean(ReactiveJwtDecoder.class).decode(forged))
				.expectError(BadJwtException.class)
				.verify());
	}

	@Test
	void shortSecretFailsStartupWithAClearMessage() {
		this.contexts.withPropertyValues("inloop.security.jwt.secret=short").run((context) -> assertThat(context)
			.hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("inloop.security.jwt.secret must be set to at least 32 bytes"));
	}

}
