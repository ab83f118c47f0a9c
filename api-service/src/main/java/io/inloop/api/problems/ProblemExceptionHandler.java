package io.inloop.api.problems;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import tools.jackson.core.JacksonException;

/**
 * Answers every error of a request that reached Spring's dispatcher as problem+json with an
 * {@link ApiProblem} type: Inloop's own errors carry theirs; Spring's (a malformed parameter, a
 * path or method no endpoint serves, an unsupported media type) get the kind of their status; an
 * unexpected exception is an {@link ApiProblem#INTERNAL_ERROR} whose detail says nothing of it.
 * Replaces Boot's {@code spring.webflux.problemdetails} handler, which would leave them {@code about:blank}.
 */
@RestControllerAdvice
class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

	private static final URI BLANK = URI.create("about:blank");

	/** The client went away before its answer (closed mid-body, say): nobody to answer, nothing broken. */
	@ExceptionHandler
	Mono<Void> clientGone(AbortedException ex, ServerWebExchange exchange) {
		this.logger.debug("Client gone before the answer to " + exchange.getRequest().getPath());
		return Mono.empty();
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
		this.logger.error("Unexpected error answering " + exchange.getRequest().getPath(), ex);
		ApiProblem problem = ApiProblem.INTERNAL_ERROR;
		return handleExceptionInternal(ex, problem.detail("The request failed unexpectedly; the log says why"),
				new HttpHeaders(), problem.status(), exchange);
	}

	/** A body Jackson could not read: the detail says which key and why, never a Java type or a trace. */
	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex, HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		JacksonException json = jsonCause(ex);
		if (json != null) {
			ex.getBody().setDetail(BodyErrors.describe(json));
		}
		return super.handleServerWebInputException(ex, headers, status, exchange);
	}

	private static @Nullable JacksonException jsonCause(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof JacksonException json) {
				return json;
			}
		}
		return null;
	}

	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(@Nullable Object body, @Nullable HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		if (body instanceof ProblemDetail problem && (problem.getType() == null || BLANK.equals(problem.getType()))) {
			ApiProblem kind = ApiProblem.forStatus(status);
			problem.setType(kind.type());
			problem.setTitle(kind.title());
		}
		return super.createResponseEntity(body, headers, status, exchange);
	}

}
