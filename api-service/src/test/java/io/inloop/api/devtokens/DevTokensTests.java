package io.inloop.api.devtokens;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles({ "test", "local" })
class DevTokensTests {

	@Autowired
	private WebTestClient http;

	@Test
	void localModeMintsATokenThatTheApiAccepts() {
		Map<?, ?> minted = this.http.post()
			.uri("/api/dev/tokens")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"alice\"}")
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		String token = (String) minted.get("token");
		assertThat(token).isNotBlank();
		assertThat(minted.get("expiresAt")).isNotNull();

		this.http.post()
			.uri("/api/jobs")
			.headers((h) -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"demo.fail\"}")
			.exchange()
			.expectStatus().isAccepted()
			.expectBody()
			.jsonPath("$.owner").isEqualTo("alice");
	}

	@Test
	void aDevTokenCarriesNoScopeUnlessAskedAndNeverAdminByDefault() {
		assertThat(claims(mint("{\"user\":\"alice\"}"))).doesNotContainKey("scope");
		assertThat(claims(mint("{\"user\":\"alice\",\"scopes\":[\"events:all\"]}"))).containsEntry("scope",
				"events:all");
		this.http.post()
			.uri("/api/dev/tokens")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"mallory\",\"scopes\":[\"admin\"]}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").value((detail) -> assertThat((String) detail).contains("events:all, metrics",
					"--allow-admin-dev-tokens"));
	}

	private String mint(String request) {
		Map<?, ?> minted = this.http.post()
			.uri("/api/dev/tokens")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) minted.get("token");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> claims(String token) {
		String payload = token.split("\\.")[1];
		return tools.jackson.databind.json.JsonMapper.builder().build()
			.readValue(java.util.Base64.getUrlDecoder().decode(payload), Map.class);
	}

	@Test
	void invalidUserNameIsABadRequest() {
		this.http.post()
			.uri("/api/dev/tokens")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"\"}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
