package io.inloop.notifier.subscriptions;

import java.security.Principal;
import java.time.Instant;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who opened a connection: the JWT subject, until when the token is valid, and whether it may see
 * every user's jobs (scope {@code events:all}).
 */
public record Caller(String subject, @Nullable Instant expiresAt, boolean seesEveryone) {

	/** The scope that lets a service stream other users' jobs. */
	public static final String EVERYONE = "SCOPE_events:all";

	public static Caller of(Principal principal) {
		if (principal instanceof JwtAuthenticationToken jwt) {
			return of(jwt.getName(), jwt.getToken().getExpiresAt(), jwt.getAuthorities());
		}
		return new Caller(principal.getName(), null, false);
	}

	static Caller of(String subject, @Nullable Instant expiresAt, Collection<? extends GrantedAuthority> authorities) {
		return new Caller(subject, expiresAt,
				authorities.stream().anyMatch((authority) -> EVERYONE.equals(authority.getAuthority())));
	}

}
