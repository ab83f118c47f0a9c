package io.inloop.api.devtokens;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled whether {@code POST /api/dev/tokens} exists; only the {@code local} profile sets it
 * @param ttl how long a dev token lives unless the request asks for less
 * @param allowedScopes the scopes a request may ask for; a token carries only those it asks for
 */
@ConfigurationProperties("inloop.dev-tokens")
public record DevTokenSettings(@DefaultValue("false") boolean enabled, @DefaultValue("8h") Duration ttl,
		@DefaultValue({ "events:all", "metrics" }) List<String> allowedScopes) {
}
