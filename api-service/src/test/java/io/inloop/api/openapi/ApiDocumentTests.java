package io.inloop.api.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.inloop.api.ApiRequests;
import io.inloop.api.problems.ApiProblem;
import io.inloop.security.TokenSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document matches the running API: every endpoint of the app is in it with its
 * methods and nothing else is, every documented operation answers through a real HTTP client with a
 * status it documents, and the problem types it documents (and docs/api.md lists) are the ones the
 * code answers with. Local mode, so the dev-token minter is there too. Every call has a deadline, and
 * an endless stream ({@code text/event-stream}) is closed once its status and headers are in.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({ "local", "test" })
class ApiDocumentTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

	/** The most a call may take, its body included. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Answers that never end: their body is not read. */
	private static final Set<String> STREAMS = Set.of(MediaType.TEXT_EVENT_STREAM_VALUE);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenSigner tokens;

	@Autowired
	private ApplicationContext context;

	private JsonNode document;

	@BeforeEach
	void fetchTheDocumentWithoutAToken() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET(), null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		this.document = JSON.readTree(response.body());
		Files.writeString(Path.of("target", "api-docs.json"), response.body());
		HttpResponse<String> yaml = send(HttpRequest.newBuilder(uri("/v3/api-docs.yaml")).GET(), null);
		assertThat(yaml.statusCode()).isEqualTo(200);
		assertThat(yaml.body()).startsWith("openapi: 3.1");
	}

	@Test
	void theDocumentIsOpenApi31WithTheBearerSchemeForEveryOperationButTheMinter() {
		assertThat(this.document.path("openapi").asString()).startsWith("3.1");
		assertThat(this.document.at("/servers/0/url").asString()).as("relative: no Host echoed").isEqualTo("/");
		assertThat(this.document.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
		assertThat(this.document.at("/components/securitySchemes/bearer/bearerFormat").asString()).isEqualTo("JWT");
		assertThat(this.document.at("/security/0/bearer").isArray()).as("bearer required by default").isTrue();
		assertThat(this.document.at("/paths/~1api~1dev~1tokens/post/security").isEmpty()).as("minter needs no token")
			.isTrue();
		assertThat(this.document.at("/paths/~1api~1dev~1tokens/post/security").isArray()).isTrue();
		assertThat(this.document.at("/paths/~1admin~1events/get/security/0/bearer/0").asString()).isEqualTo("admin");
		assertThat(this.document.at("/paths/~1api~1jobs/post/parameters").valueStream()
			.filter((parameter) -> parameter.path("name").asString().equals("Idempotency-Key"))
			.map((parameter) -> parameter.path("in").asString())).containsExactly("header");
	}

	@Test
	void everySchemaPropertyAndParameterIsDescribed() {
		List<String> undescribed = new ArrayList<>();
		this.document.at("/components/schemas").properties().forEach((schema) -> {
			assertThat(schema.getValue().path("description").isString()).as("%s is described", schema.getKey()).isTrue();
			schema.getValue().path("properties").properties().forEach((property) -> {
				if (!property.getValue().path("description").isString() && !property.getValue().has("$ref")) {
					undescribed.add(schema.getKey() + "." + property.getKey());
				}
			});
		});
		this.document.path("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (!operation.getValue().path("summary").isString()) {
				undescribed.add(operation.getKey() + " " + path.getKey());
			}
			operation.getValue().path("parameters").forEach((parameter) -> {
				if (!parameter.path("description").isString()) {
					undescribed.add(operation.getKey() + " " + path.getKey() + " " + parameter.path("name").asString());
				}
			});
		}));
		assertThat(undescribed).as("schema properties, operations and parameters without a description").isEmpty();
	}

	@Test
	void everyEndpointOfTheAppIsDocumentedWithItsMethodsAndNothingElseIs() {
		Set<String> served = new TreeSet<>();
		this.context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach((mapping) -> mapping
			.getHandlerMethods()
			.forEach((info, handler) -> {
				if (handler.getBeanType().getPackageName().startsWith("org.springdoc")) {
					return;
				}
				assertThat(info.getMethodsCondition().getMethods()).as("%s names its HTTP methods", handler).isNotEmpty();
				info.getPatternsCondition().getPatterns().forEach((pattern) -> info.getMethodsCondition()
					.getMethods()
					.forEach((method) -> served.add(method.name() + " " + pattern.getPatternString())));
			}));
		assertThat(served).contains("POST /api/jobs", "GET /api/jobs/{id}", "POST /api/dev/tokens");
		assertThat(documentedOperations()).containsExactlyInAnyOrderElementsOf(served);
	}

	@Test
	void everyDocumentedOperationAnswersWithAStatusItDocuments() throws Exception {
		String user = "docs-" + UUID.randomUUID();
		String token = this.tokens.sign(user, Duration.ofMinutes(5), List.of("admin"));
		String jobId = submitTheDocumentedExample(token);
		List<String> wrong = new ArrayList<>();
		for (String operation : documentedOperations()) {
			String method = operation.substring(0, operation.indexOf(' '));
			String path = operation.substring(operation.indexOf(' ') + 1);
			JsonNode documented = this.document.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
			boolean secured = !documented.path("security").isArray() || !documented.path("security").isEmpty();
			HttpResponse<String> answer = call(method, path.replace("{id}", jobId), documented, token);
			String type = problemType(answer);
			if (!documented.path("responses").has(Integer.toString(answer.statusCode()))) {
				wrong.add(operation + " answered an undocumented " + answer.statusCode() + ": " + answer.body());
			}
			else if (!documentsItsMediaType(documented.path("responses").path(Integer.toString(answer.statusCode())),
					answer)) {
				wrong.add(operation + " answered " + answer.statusCode() + " as an undocumented "
						+ answer.headers().firstValue("Content-Type").orElse("(no Content-Type)"));
			}
			if (ApiProblem.NOT_FOUND.type().toString().equals(type) || answer.statusCode() == 405) {
				wrong.add(operation + " is not served: " + answer.body());
			}
			HttpResponse<String> anonymous = call(method, path.replace("{id}", jobId), documented, null);
			if (secured != (anonymous.statusCode() == 401)) {
				wrong.add(operation + (secured ? " is documented as needing a token but answered "
						: " is documented as open but answered ") + anonymous.statusCode() + " without one");
			}
			if (secured && !documented.at("/responses/401").isObject()) {
				wrong.add(operation + " needs a token but does not document 401");
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void theDocumentedProblemTypesAreTheKindsTheCodeHasAndDocsApiMdListsThemAll() throws IOException {
		Set<String> kinds = java.util.Arrays.stream(ApiProblem.values())
			.map((problem) -> problem.type().toString())
			.collect(Collectors.toSet());
		Set<String> documented = new HashSet<>();
		this.document.at("/components/examples").properties().forEach((example) -> {
			JsonNode value = example.getValue().path("value");
			assertThat(value.path("type").asString()).as(example.getKey()).endsWith("/" + example.getKey());
			documented.add(value.path("type").asString());
		});
		assertThat(documented).isEqualTo(kinds);
		for (String operation : documentedOperations()) {
			String[] parts = operation.split(" ", 2);
			JsonNode responses = this.document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT))
				.path("responses");
			responses.properties().forEach((response) -> {
				JsonNode problems = response.getValue().at("/content/application~1problem+json/examples");
				problems.properties().forEach((example) -> {
					ApiProblem problem = kind(example.getKey());
					assertThat(example.getValue().path("$ref").asString()).isEqualTo("#/components/examples/" + problem.kind());
					assertThat(response.getKey()).as("%s %s", operation, problem)
						.isEqualTo(Integer.toString(problem.status().value()));
				});
				if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
					assertThat(problems.isObject()).as("%s %s is a documented problem", operation, response.getKey())
						.isTrue();
				}
			});
		}
		String reference = Files.readString(Path.of("..", "docs", "api.md"));
		Matcher types = Pattern.compile("https://inloop\\.dev/problems/[a-z-]+").matcher(reference);
		Set<String> listed = new HashSet<>();
		while (types.find()) {
			listed.add(types.group());
		}
		assertThat(listed).as("the problem types docs/api.md lists").isEqualTo(kinds);
	}

	@Test
	void eachProblemAnswersWithItsTypeAndStatus() throws Exception {
		String token = this.tokens.sign("problems-" + UUID.randomUUID(), Duration.ofMinutes(5), List.of());
		// A fresh context's ledger may still be starting: until it serves, a read answers 503 (its own problem).
		ApiRequests.awaitReady(WebTestClient.bindToServer().baseUrl(uri("").toString()).build());
		assertProblem(send(get("/api/jobs"), null), ApiProblem.UNAUTHORIZED);
		assertProblem(send(get("/admin/events"), token), ApiProblem.FORBIDDEN);
		assertProblem(send(get("/api/jobs?limit=0"), token), ApiProblem.INVALID_REQUEST);
		assertProblem(send(get("/api/jobs?limit=lots"), token), ApiProblem.INVALID_REQUEST);
		assertProblem(send(get("/api/jobs/no-such-job"), token), ApiProblem.JOB_NOT_FOUND);
		assertProblem(send(get("/api/no-such-endpoint"), token), ApiProblem.NOT_FOUND);
		assertProblem(send(HttpRequest.newBuilder(uri("/api/jobs")).DELETE(), token), ApiProblem.METHOD_NOT_ALLOWED);
		assertProblem(send(get("/api/jobs").header("Accept", "image/png"), token), ApiProblem.NOT_ACCEPTABLE);
		assertProblem(send(post("/api/jobs", "type=demo.steps").setHeader("Content-Type", "text/plain"), token),
				ApiProblem.UNSUPPORTED_MEDIA_TYPE);
		assertProblem(send(post("/api/jobs", "{\"type\":\"demo.steps\",\"payload\":{\"pad\":\"" + "x".repeat(300 * 1024)
				+ "\"}}"), token), ApiProblem.BODY_TOO_LARGE);
		assertProblem(send(get("/api/jobs/a%2F..%2Fb"), token), ApiProblem.REQUEST_REJECTED);
		String job = submit(token, "{\"type\":\"demo.steps\"}");
		assertThat(send(post("/api/jobs/" + job + "/cancel", ""), token).statusCode()).isEqualTo(202);
		org.awaitility.Awaitility.await().untilAsserted(() -> assertProblem(
				send(post("/api/jobs/" + job + "/cancel", ""), token), ApiProblem.JOB_ALREADY_ENDED));
	}

	private static void assertProblem(HttpResponse<String> response, ApiProblem problem) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(problem.status().value());
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("type").asString()).as(response.body()).isEqualTo(problem.type().toString());
		assertThat(body.path("status").asInt()).isEqualTo(problem.status().value());
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	private static ApiProblem kind(String kind) {
		return java.util.Arrays.stream(ApiProblem.values())
			.filter((problem) -> problem.kind().equals(kind))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No problem kind " + kind));
	}

	private Set<String> documentedOperations() {
		Set<String> operations = new TreeSet<>();
		this.document.path("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (METHODS.contains(operation.getKey())) {
				operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
			}
		}));
		return operations;
	}

	/** Submits the request body example of {@code POST /api/jobs}, so the example is known to be accepted. */
	private String submitTheDocumentedExample(String token) throws Exception {
		String example = requestExample(this.document.at("/paths/~1api~1jobs/post"));
		assertThat(example).as("POST /api/jobs has a request example").isNotNull();
		return submit(token, example);
	}

	private String submit(String token, String body) throws Exception {
		HttpResponse<String> response = send(post("/api/jobs", body), token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("id").asString();
	}

	private HttpResponse<String> call(String method, String path, JsonNode operation, String token) throws Exception {
		String body = requestExample(operation);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody());
		return send(request, token);
	}

	private static String requestExample(JsonNode operation) {
		JsonNode json = operation.at("/requestBody/content/application~1json");
		if (json.isMissingNode()) {
			return null;
		}
		JsonNode example = json.path("examples").valueStream().map((named) -> named.path("value")).findFirst()
			.orElse(json.path("example"));
		if (example.isMissingNode()) {
			example = json.at("/schema/example");
		}
		return example.isString() ? example.asString() : example.toString();
	}

	/** Whether the response documented for the answer's status names its media type (or any, or no body). */
	private static boolean documentsItsMediaType(JsonNode response, HttpResponse<String> answer) {
		JsonNode content = response.path("content");
		String type = answer.headers().firstValue("Content-Type").map(MediaType::parseMediaType)
			.map((parsed) -> parsed.getType() + "/" + parsed.getSubtype())
			.orElse(null);
		if (content.isEmpty() || type == null) {
			return true;
		}
		return content.properties().stream()
			.anyMatch((documented) -> MediaType.parseMediaType(documented.getKey()).includes(MediaType.parseMediaType(type)));
	}

	private static String problemType(HttpResponse<String> response) {
		if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
			return null;
		}
		return JSON.readTree(response.body()).path("type").asString();
	}

	private HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(uri(path)).GET();
	}

	private HttpRequest.Builder post(String path, String body) {
		return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpRequest built = request.timeout(TIMEOUT).build();
		CompletableFuture<HttpResponse<String>> answer = this.client.sendAsync(built, ApiDocumentTests::bodyUnlessStreaming);
		try {
			// The request's own timeout ends with the headers; this one bounds the body too
			return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			throw new AssertionError(built.method() + " " + built.uri().getPath() + " did not answer within " + TIMEOUT
					+ " (an endless body that is not " + STREAMS + "?)", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

	/**
	 * A finite body as a string; a stream is closed as soon as its status and headers are in, its body
	 * left unread ({@code ""}), so the call does not wait for an end that never comes.
	 */
	private static BodySubscriber<String> bodyUnlessStreaming(ResponseInfo info) {
		boolean stream = info.headers().firstValue("Content-Type")
			.map(MediaType::parseMediaType)
			.filter((type) -> STREAMS.stream().map(MediaType::parseMediaType).anyMatch(type::isCompatibleWith))
			.isPresent();
		if (!stream) {
			return BodySubscribers.ofString(StandardCharsets.UTF_8);
		}
		return BodySubscribers.mapping(BodySubscribers.ofInputStream(), (body) -> {
			try {
				body.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return "";
		});
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
