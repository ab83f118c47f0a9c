package io.inloop.security;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTypesTests {

	@Test
	void aKindIsAnAbsoluteUriUnderTheBase() {
		assertThat(ProblemTypes.of("job-not-found")).hasToString("https://inloop.dev/problems/job-not-found");
		assertThat(ProblemTypes.UNAUTHORIZED.isAbsolute()).isTrue();
	}

	@Test
	void refusalsOutsideTheChainAreTypedByTheirStatusWhereTheStatusSaysTheKind() {
		assertThat(body(HttpStatus.UNAUTHORIZED)).contains("\"type\":\"https://inloop.dev/problems/unauthorized\"")
			.contains("\"status\":401");
		assertThat(body(HttpStatus.FORBIDDEN)).contains("\"type\":\"https://inloop.dev/problems/forbidden\"");
		assertThat(body(HttpStatus.BAD_REQUEST)).contains("\"type\":\"about:blank\"");
		assertThat(body(HttpStatus.SERVICE_UNAVAILABLE)).contains("\"type\":\"about:blank\"");
	}

	private static String body(HttpStatus status) {
		return new String(BearerTokenSecurity.problemJson(status, "why", "/ws"), StandardCharsets.UTF_8);
	}

}
