package io.inloop.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;

/** Validates callers' JWTs as {@link JwtSettings} says; one decoder for every Inloop service. */
@AutoConfiguration
@EnableConfigurationProperties(JwtSettings.class)
public class SecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServerExchangeRejectedHandler inloopRejectedRequests() {
		return BearerTokenSecurity.rejectedRequests();
	}

	@Bean
	NettyServerCustomizer inloopUnreadableRequests() {
		UnreadableRequests handler = new UnreadableRequests();
		return (server) -> server.doOnChannelInit((observer, channel, address) -> handler.install(channel.pipeline()));
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveJwtDecoder inloopJwtDecoder(JwtSettings settings) {
		NimbusReactiveJwtDecoder decoder = decoder(settings);
		OAuth2TokenValidator<Jwt> validator = validator(settings, Clock.systemUTC());
		decoder.setJwtValidator(validator);
		if (settings.verifiedCacheSize() <= 0 || settings.verifiedCacheTtl().isZero()) {
			return decoder;
		}
		return new VerifiedTokens(decoder, validator, settings.verifiedCacheSize(), settings.verifiedCacheTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(SigningKeyConfigured.class)
	TokenSigner inloopTokenSigner(JwtSettings settings) {
		return new TokenSigner(settings);
	}

	private static NimbusReactiveJwtDecoder decoder(JwtSettings settings) {
		List<String> ways = new ArrayList<>();
		if (settings.publicKeyLocation() != null) {
			ways.add("public-key-location");
		}
		if (settings.jwkSetUri() != null) {
			ways.add("jwk-set-uri");
		}
		if (settings.secret() != null) {
			ways.add("secret");
		}
		if (ways.size() > 1) {
			throw new IllegalStateException("Set only one of inloop.security.jwt.public-key-location, jwk-set-uri "
					+ "and secret, not " + String.join(" and ", ways));
		}
		if (settings.publicKeyLocation() != null) {
			return NimbusReactiveJwtDecoder.withPublicKey(PemKeys.publicKey(settings.publicKeyLocation()))
				.signatureAlgorithm(SignatureAlgorithm.RS256)
				.build();
		}
		if (settings.jwkSetUri() != null) {
			return NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
		}
		return NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(settings.secretBytes(), "HmacSHA256"))
			.macAlgorithm(MacAlgorithm.HS256)
			.build();
	}

	/**
	 * Every token must name its subject (the job owner), expire within the lifetime cap, and, where
	 * configured, come from the issuer for one of the audiences.
	 */
	static OAuth2TokenValidator<Jwt> validator(JwtSettings settings, Clock clock) {
		List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(settings.clockSkew());
		timestamps.setClock(clock);
		checks.add(timestamps);
		checks.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
		checks.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, (sub) -> sub != null && !sub.isBlank()));
		checks.add(new LifetimeCap(settings.maxLifetime(), settings.clockSkew(), clock));
		if (settings.issuer() != null) {
			checks.add(new JwtIssuerValidator(settings.issuer()));
		}
		if (!settings.audiences().isEmpty()) {
			List<String> audiences = settings.audiences();
			checks.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
					(aud) -> aud != null && !Collections.disjoint(aud, audiences)));
		}
		return new DelegatingOAuth2TokenValidator<>(checks);
	}

	/** Tokens are minted only where a private key (RS256) or the secret (HS256) is configured. */
	static final class SigningKeyConfigured extends AnyNestedCondition {

		SigningKeyConfigured() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty("inloop.security.jwt.private-key-location")
		static final class PrivateKey {

		}

		@ConditionalOnProperty("inloop.security.jwt.secret")
		static final class Secret {

		}

	}

}
