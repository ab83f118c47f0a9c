package io.inloop.api.problems;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers no request through the running API can provoke on purpose: an unexpected exception
 * is an internal-error that says nothing of it; a status no kind has still gets a type; and no
 * source makes a problem but through an {@link ApiProblem}, so every type is set in one place.
 */
class ProblemExceptionHandlerTests {

	private final ProblemExceptionHandler handler = new ProblemExceptionHandler();

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs"));

	@Test
	void anUnexpectedExceptionIsAnInternalErrorThatDoesNotShowIt() {
		ResponseEntity<Object> answer = this.handler
			.unexpected(new IllegalStateException("db password is hunter2"), this.exchange)
			.block();
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		ProblemDetail problem = (ProblemDetail) answer.getBody();
		assertThat(problem.getType()).isEqualTo(ApiProblem.INTERNAL_ERROR.type());
		assertThat(problem.getTitle()).isEqualTo(ApiProblem.INTERNAL_ERROR.title());
		assertThat(problem.getDetail()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
	}

	@Test
	void springsOwnErrorsGetTheKindOfTheirStatus() {
		ResponseEntity<Object> answer = this.handler
			.handleException(new ServerWebInputException("Type mismatch."), this.exchange)
			.block();
		assertThat(((ProblemDetail) answer.getBody()).getType()).isEqualTo(ApiProblem.INVALID_REQUEST.type());
	}

	@Test
	void everyAnswerThatSaysTryAgainLaterSaysWhen() {
		List<ApiProblem> temporary = Stream.of(ApiProblem.values()).filter(ApiProblem::isTemporary).toList();
		assertThat(temporary).contains(ApiProblem.SUBMISSION_FAILED, ApiProblem.LEDGER_UNAVAILABLE,
				ApiProblem.TOO_MANY_READ_BACKS);
		for (ApiProblem kind : temporary) {
			ResponseEntity<Object> answer = this.handler.handleException(kind.exception("later"), this.exchange).block();
			assertThat(answer.getStatusCode()).isEqualTo(kind.status());
			assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as("Retry-After of %s", kind).isEqualTo("1");
		}
		ResponseEntity<Object> busy = this.handler
			.handleException(ApiProblem.TOO_MANY_READ_BACKS.exception("busy", Duration.ofMillis(5500)), this.exchange)
			.block();
		assertThat(busy.getHeaders().get(HttpHeaders.RETRY_AFTER)).containsExactly("5");
		ResponseEntity<Object> notFound = this.handler
			.handleException(ApiProblem.JOB_NOT_FOUND.exception("no"), this.exchange)
			.block();
		assertThat(notFound.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
	}

	@Test
	void everyProblemOfTheCodeIsMadeByApiProblem() throws IOException {
		Pattern elsewhere = Pattern.compile("ProblemDetail\\.for|new ErrorResponseException\\(|new ResponseStatusException\\(");
		try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
			List<Path> java = sources.filter((source) -> source.toString().endsWith(".java")).toList();
			assertThat(java).as("api-service's sources").anyMatch((source) -> source.endsWith("JobsController.java"));
			List<String> offenders = java.stream()
				.filter((source) -> !source.getParent().endsWith(Path.of("api", "problems")))
				.filter((source) -> elsewhere.matcher(read(source)).find())
				.map(Path::toString)
				.toList();
			assertThat(offenders).as("sources that make a problem without an ApiProblem kind").isEmpty();
		}
	}

	private static String read(Path source) {
		try {
			return Files.readString(source);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void everyStatusHasAKindAndEveryKindIsTheFirstOfItsStatusOrNamedWhereItIsAnswered() {
		assertThat(ApiProblem.forStatus(HttpStatus.NOT_FOUND)).isEqualTo(ApiProblem.NOT_FOUND);
		assertThat(ApiProblem.forStatus(HttpStatus.BAD_REQUEST)).isEqualTo(ApiProblem.INVALID_REQUEST);
		assertThat(ApiProblem.forStatus(HttpStatus.I_AM_A_TEAPOT)).isEqualTo(ApiProblem.INTERNAL_ERROR);
		assertThat(ApiProblem.values()).extracting(ApiProblem::kind).doesNotHaveDuplicates()
			.allMatch((kind) -> kind.matches("[a-z]+(-[a-z]+)*"));
	}

}
