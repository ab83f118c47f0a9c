package io.inloop.api.openapi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.inloop.api.problems.ApiProblem;
import io.inloop.api.problems.ProblemResponses;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * The problem+json side of the document: a {@code Problem} schema, one example per
 * {@link ApiProblem} kind (named by the kind, with its type URI), and, on each operation, a
 * response per status of the kinds its {@link ProblemResponses} names, and internal-error and
 * overloaded, which any of them may answer.
 */
final class ProblemDocumentation {

	static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	static final String SCHEMA = "Problem";

	Operation addResponses(Operation operation, HandlerMethod handler) {
		ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
		if (declared == null) {
			return operation;
		}
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		Map<HttpStatus, List<ApiProblem>> byStatus = Stream
			.concat(Arrays.stream(declared.value()), Stream.of(ApiProblem.OVERLOADED, ApiProblem.INTERNAL_ERROR))
			.distinct()
			.collect(Collectors.groupingBy(ApiProblem::status, LinkedHashMap::new, Collectors.toList()));
		byStatus.forEach((status, problems) -> responses.addApiResponse(Integer.toString(status.value()),
				response(problems)));
		return operation.responses(responses);
	}

	private ApiResponse response(List<ApiProblem> problems) {
		MediaType problemJson = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA));
		problems.forEach((problem) -> problemJson.addExamples(problem.kind(),
				new Example().$ref("#/components/examples/" + problem.kind())));
		ApiResponse response = new ApiResponse()
			.description(problems.stream()
				.map((problem) -> "`" + problem.kind() + "`: " + problem.description())
				.collect(Collectors.joining(" ")))
			.content(new Content().addMediaType(PROBLEM_JSON, problemJson));
		if (problems.stream().anyMatch(ApiProblem::isTemporary)) {
			response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before asking again")
				.schema(new IntegerSchema()));
		}
		return response;
	}

	void addComponents(OpenAPI openApi) {
		Components components = openApi.getComponents();
		components.addSchemas(SCHEMA, new ObjectSchema()
			.description("An error (RFC 9457). Switch on `type`; `detail` is for people and may change.")
			.addProperty("type", new StringSchema().format("uri")
				.description("The kind of error: https://inloop.dev/problems/<kind>, one of the examples"))
			.addProperty("title", new StringSchema().description("A short summary of the kind"))
			.addProperty("status", new IntegerSchema().description("The HTTP status"))
			.addProperty("detail", new StringSchema().description("What went wrong in this request and how to fix it"))
			.addProperty("instance", new StringSchema().format("uri-reference").description("The request path"))
			.required(List.of("type", "title", "status")));
		for (ApiProblem problem : ApiProblem.values()) {
			Map<String, Object> value = new LinkedHashMap<>();
			value.put("type", problem.type().toString());
			value.put("title", problem.title());
			value.put("status", problem.status().value());
			value.put("detail", problem.description());
			components.addExamples(problem.kind(),
					new Example().summary(problem.status().value() + " " + problem.title()).value(value));
		}
	}

}
