package io.inloop.api.openapi;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the OpenAPI document that are the same for every endpoint: what the API is, how a
 * caller authenticates, and the problems it answers with (docs/api.md is the prose for it).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String BEARER = "bearer";

	static {
		// Jackson 3's tree is any JSON to the API, not a bean whose getters are properties
		SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
	}

	@Bean
	OpenAPI inloopOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Inloop API")
				.version("1")
				.description("""
						Submit background jobs for the caller, read them back and cancel them; the status \
						of every job also reaches its owner live over the notifier's WebSocket, SSE and \
						RSocket endpoints (docs/protocol.md). The caller is the `sub` of a JWT bearer \
						token; a user never sees another user's job. Every error is `application/problem+json` \
						(RFC 9457) with a stable `type` per kind of error: see docs/api.md."""))
			// Relative: the document is the same whichever host or proxy served it
			.servers(List.of(new Server().url("/").description("The api-service that serves this document")))
			.components(new Components().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.bearerFormat("JWT")
				.description("""
						A JWT whose `sub` is the caller, signed with the key api-service is configured with \
						(`inloop.security.jwt.*`: RS256 public key, JWK set or HS256 secret), with an `exp` \
						within `inloop.security.jwt.max-lifetime`. Scopes, in the `scope` claim, are needed \
						only where an operation names them: `admin` for `/admin/**`. In local mode \
						`POST /api/dev/tokens` mints one.""")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER))
			.tags(List.of(new Tag().name("jobs").description("The caller's own jobs"),
					new Tag().name("history").description("A job's every status event, read back from Kafka"),
					new Tag().name("admin").description("Across users, for operators (scope admin)"),
					new Tag().name("dev-tokens").description("Local mode only: tokens for trying the API")));
	}

	@Bean
	OperationCustomizer inloopProblemResponses() {
		return new ProblemDocumentation()::addResponses;
	}

	@Bean
	OpenApiCustomizer inloopProblemComponents() {
		return new ProblemDocumentation()::addComponents;
	}

	@Bean
	OpenApiCustomizer inloopJobViewSchema() {
		return new JobViewSchema()::describe;
	}

}
