package io.inloop.api.devtokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import io.inloop.api.problems.ApiProblem;
import io.inloop.api.problems.ProblemResponses;
import io.inloop.security.TokenSigner;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
@Tag(name = "dev-tokens")
class DevTokensController {

	private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

	private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

	private final TokenSigner signer;

	private final DevTokenSettings settings;

	DevTokensController(TokenSigner signer, DevTokenSettings settings) {
		this.signer = signer;
		this.settings = settings;
	}

	@Operation(operationId = "mintDevToken", summary = "Mint a token for any user (local mode only)", description = "Exists only where "
			+ "inloop.dev-tokens.enabled is true (./inloop start); never in production, where your app's identity "
			+ "provider issues tokens. Needs no token itself.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
					examples = @ExampleObject(name = "alice", value = "{\"user\":\"alice\"}"))))
	@SecurityRequirements
	@ApiResponse(responseCode = "200", description = "A signed token for the user")
	@ProblemResponses({ ApiProblem.INVALID_REQUEST, ApiProblem.UNSUPPORTED_MEDIA_TYPE })
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
		return ApiProblem.INVALID_REQUEST.exception(detail);
	}

	@Schema(description = "Whom the token is for")
	record DevTokenRequest(
			@Schema(description = "The user, the token's sub: 1-64 letters, digits or ._@-",
					requiredMode = Schema.RequiredMode.REQUIRED, example = "alice") @Nullable String user,
			@Schema(description = "Scopes the token carries, among inloop.dev-tokens.allowed-scopes (events:all, "
					+ "metrics; admin only with ./inloop start --allow-admin-dev-tokens); none when absent") @Nullable List<String> scopes,
			@Schema(description = "Seconds the token lives, up to inloop.dev-tokens.ttl (8 h, the default)") @Nullable Long ttlSeconds) {
	}

	@Schema(description = "A minted token")
	record DevToken(@Schema(description = "The JWT, for Authorization: Bearer <token>") String token,
			@Schema(description = "When the token expires") Instant expiresAt) {
	}

}
