package io.inloop.api.problems;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers no request through the running API can provoke on purpose: an unexpected exception
 * is an internal-error that says nothing of it; a status no kind has still gets a type.
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
	void everyStatusHasAKindAndEveryKindIsTheFirstOfItsStatusOrNamedWhereItIsAnswered() {
		assertThat(ApiProblem.forStatus(HttpStatus.NOT_FOUND)).isEqualTo(ApiProblem.NOT_FOUND);
		assertThat(ApiProblem.forStatus(HttpStatus.BAD_REQUEST)).isEqualTo(ApiProblem.INVALID_REQUEST);
		assertThat(ApiProblem.forStatus(HttpStatus.I_AM_A_TEAPOT)).isEqualTo(ApiProblem.INTERNAL_ERROR);
		assertThat(ApiProblem.values()).extracting(ApiProblem::kind).doesNotHaveDuplicates()
			.allMatch((kind) -> kind.matches("[a-z]+(-[a-z]+)*"));
	}

}
