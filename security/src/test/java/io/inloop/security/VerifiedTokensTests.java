package io.inloop.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTests {

	private static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";

	@Test
	void aTokenPresentedAgainIsNotVerifiedAgainButIsRefusedOnceItExpires() {
		AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
		Clock clock = new Clock() {

			@Override
			public Instant instant() {
				return now.get();
			}

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

		};
		JwtSettings settings = JwtSettings.ofSecret(SECRET);
		NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder
			.withSecretKey(new javax.crypto.spec.SecretKeySpec(settings.secretBytes(), "HmacSHA256"))
			.build();
		nimbus.setJwtValidator(SecurityAutoConfiguration.validator(settings, clock));
		AtomicInteger verifications = new AtomicInteger();
		ReactiveJwtDecoder counting = (token) -> {
			verifications.incrementAndGet();
			return nimbus.decode(token);
		};
		ReactiveJwtDecoder decoder = new VerifiedTokens(counting, SecurityAutoConfiguration.validator(settings, clock), 16,
				Duration.ofMinutes(5));
		String token = new TokenSigner(SECRET).sign("alice", Duration.ofMinutes(2), List.of());

		for (int i = 0; i < 3; i++) {
			StepVerifier.create(decoder.decode(token))
				.assertNext((jwt) -> assertThat(jwt.getSubject()).isEqualTo("alice"))
				.verifyComplete();
		}
		assertThat(verifications).hasValue(1);

		// A token that differs from the cached one in its signature alone is verified, and refused.
		String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
		StepVerifier.create(decoder.decode(forged)).expectError().verify();
		assertThat(verifications).hasValue(2);

		now.set(now.get().plus(Duration.ofMinutes(3)));
		StepVerifier.create(decoder.decode(token))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(JwtValidationException.class).hasMessageContaining("expired"))
			.verify();
		assertThat(verifications).hasValue(2);
	}

	@Test
	void theDecoderKeepsVerifiedTokensByDefaultAndNotWhenTheCacheIsOff() {
		ReactiveWebApplicationContextRunner contexts = new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class))
			.withPropertyValues("inloop.security.jwt.secret=" + SECRET);
		contexts.run((context) -> assertThat(context.getBean(ReactiveJwtDecoder.class)).isInstanceOf(VerifiedTokens.class));
		contexts.withPropertyValues("inloop.security.jwt.verified-cache-size=0")
			.run((context) -> assertThat(context.getBean(ReactiveJwtDecoder.class))
				.isInstanceOf(NimbusReactiveJwtDecoder.class));
	}

}
