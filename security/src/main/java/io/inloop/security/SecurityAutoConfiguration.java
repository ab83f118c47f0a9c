package io.inloop.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;

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
	@ConditionalOnMissingBean
	ReactiveJwtDecoder inloopJwtDecoder(JwtSettings settings) {
		NimbusReactiveJwtDecoder decoder = (settings.jwkSetUri() != null)
				? NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build()
				: NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(settings.secretBytes(), "HmacSHA256"))
					.macAlgorithm(MacAlgorithm.HS256)
					.build();
		decoder.setJwtValidator(expiryCheck(settings.clockSkew()));
		return decoder;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("inloop.security.jwt.secret")
	TokenSigner inloopTokenSigner(JwtSettings settings) {
		return new TokenSigner(settings);
	}

	/** Every token must name its subject (the job owner) and expire. */
	private static OAuth2TokenValidator<Jwt> expiryCheck(Duration clockSkew) {
		return new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(clockSkew),
				new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
				new JwtClaimValidator<String>(JwtClaimNames.SUB, (sub) -> sub != null && !sub.isBlank()));
	}

}
