package io.inloop.api.devtokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import io.inloop.security.TokenSigner;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mints a token for any user name, so a newcomer can try Inloop without an identity provider; with
 * no scope unless the request asks for one of the allowed ones ({@code admin} only when the stack
 * was started to allow it).
 */
@RestController
@ConditionalOnProperty(name = "inloop.dev-tokens.enabled", havingValue = "true")
class DevTokensController {

	private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

	private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

	private final TokenSigner signer;

	private final DevTokenSettings settings;

	DevTokensController(TokenSigner signer, DevTokenSettings settings) {
		this.signer = signer;
		this.settings = settings;
	}

	@PostMapping("/api/dev/tokens")
	DevToken mint(@RequestBody DevTokenRequest request) {
		String user = request.user();
		if (user == null || !USER.matcher(user).matches()) {
			throw badRequest("\"user\" must be 1-64 letters, digits or ._@-");
		}
		List<String> scopes = (request.scopes() != null) ? request.scopes() : List.of();
		if (!scopes.stream().allMatch((scope) -> SCOPE.matcher(scope).matches())) {
			throw badRequest("\"scopes\" must be names of 1-64 letters, digits or :._-");
		}
		if (!this.settings.allowedScopes().containsAll(scopes)) {
			throw badRequest("Dev tokens may carry only the scopes " + String.join(", ", this.settings.allowedScopes())
					+ " (./inloop start --allow-admin-dev-tokens also allows admin)");
		}
		Duration ttl = this.settings.ttl();
		if (request.ttlSeconds() != null) {
			if (request.ttlSeconds() < 1 || request.ttlSeconds() > ttl.toSeconds()) {
				throw badRequest("\"ttlSeconds\" must be between 1 and " + ttl.toSeconds());
			}
			ttl = Duration.ofSeconds(request.ttlSeconds());
		}
		Instant expiresAt = Instant.now().plus(ttl);
		return new DevToken(this.signer.sign(user, expiresAt, scopes), expiresAt);
	}

	private static ErrorResponseException badRequest(String detail) {
		return new ErrorResponseException(HttpStatus.BAD_REQUEST,
				ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail), null);
	}

	record DevTokenRequest(@Nullable String user, @Nullable List<String> scopes, @Nullable Long ttlSeconds) {
	}

	record DevToken(String token, Instant expiresAt) {
	}

}
