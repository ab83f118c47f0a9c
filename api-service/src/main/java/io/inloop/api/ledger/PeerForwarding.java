package io.inloop.api.ledger;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * Answers a request about an owner whose ledger partition another instance holds
 * ({@link LedgerElsewhereException}) with that instance's answer: the same request, method, path,
 * query, headers (the caller's own {@code Authorization}: the holder authenticates the caller
 * itself) and body, marked {@value #FORWARDED}; its status, headers and body relayed as they come.
 * A request so marked is never forwarded again: an instance that no longer holds the partition (a
 * rebalance under way) answers 503 with {@code Retry-After}, as does a holder that cannot be reached
 * within {@code inloop.ledger.forward-timeout}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PeerForwarding {

	/** Marks a forwarded request, naming the instance that forwarded it. */
	static final String FORWARDED = "Inloop-Forwarded";

	/** Headers of one connection, not of the request or answer (RFC 9110, 7.6.1), and what the client sets itself. */
	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
			"transfer-encoding", "te", "trailer", "upgrade", "host", "content-length");

	/** How often, at most, a holder that has not got yet a job this instance just accepted is asked again. */
	private static final int CATCH_UP_ATTEMPTS = 8;

	private static final Logger logger = LoggerFactory.getLogger(PeerForwarding.class);

	private final WebClient peers;

	private final JobLedger ledger;

	private final String self;

	/** The API's problem answers ({@code ProblemExceptionHandler}), for the 503s this answers itself. */
	private final ResponseEntityExceptionHandler problems;

	PeerForwarding(JobLedger ledger, LedgerSettings settings, ResponseEntityExceptionHandler problems) {
		this.ledger = ledger;
		this.self = settings.advertisedAddress();
		this.problems = problems;
		Duration timeout = settings.forwardTimeout();
		this.peers = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create()
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
				// Between reads of the answer, so a long answer (a job's history) streams on
				.responseTimeout(timeout)))
			.build();
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> elsewhere(LedgerElsewhereException elsewhere, ServerWebExchange exchange) {
		String forwardedBy = exchange.getRequest().getHeaders().getFirst(FORWARDED);
		if (forwardedBy != null) {
			logger.debug("Forwarded by {} for a partition this instance does not hold (now {})", forwardedBy,
					elsewhere.holder());
			return this.problems.handleException(elsewhere, exchange);
		}
		return forward(elsewhere, exchange).then(Mono.<ResponseEntity<Object>>empty())
			.onErrorResume((ex) -> !exchange.getResponse().isCommitted(), (ex) -> {
				logger.debug("Could not forward {} to {}: {}", exchange.getRequest().getPath(), elsewhere.holder(),
						ex.toString());
				return this.problems.handleException(new LedgerUnavailableException(ex), exchange);
			});
	}

	private Mono<Void> forward(LedgerElsewhereException elsewhere, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		URI uri = URI.create("http://" + elsewhere.holder().host() + ":" + elsewhere.holder().port()
				+ request.getURI().getRawPath()
				+ ((request.getURI().getRawQuery() != null) ? "?" + request.getURI().getRawQuery() : ""));
		byte[] body = ForwardableBodies.of(exchange);
		WebClient.RequestBodySpec forwarded = this.peers.method(request.getMethod())
			.uri(uri)
			.headers((headers) -> {
				copy(request.getHeaders(), headers);
				headers.set(FORWARDED, this.self);
			});
		if (body != null) {
			forwarded.bodyValue(body);
		}
		return forwarded.exchangeToMono((answer) -> {
			if (elsewhere.justSubmitted() != null && answer.statusCode() == HttpStatus.NOT_FOUND) {
				return answer.releaseBody().then(Mono.error(new NotCaughtUp()));
			}
			if (elsewhere.justSubmitted() != null && answer.statusCode().is2xxSuccessful()) {
				this.ledger.heldElsewhere(elsewhere.justSubmitted());
			}
			return relay(answer, exchange.getResponse());
		})
			// The job this instance just accepted is on its way to the holder's ledger: ask again
			// rather than say there is no such job (read your writes across instances)
			.retryWhen(Retry.backoff(CATCH_UP_ATTEMPTS, Duration.ofMillis(20))
				.maxBackoff(Duration.ofMillis(250))
				.filter(NotCaughtUp.class::isInstance));
	}

	private static Mono<Void> relay(ClientResponse answer, ServerHttpResponse response) {
		response.setStatusCode(answer.statusCode());
		copy(answer.headers().asHttpHeaders(), response.getHeaders());
		return response.writeWith(answer.bodyToFlux(DataBuffer.class));
	}

	private static void copy(HttpHeaders from, HttpHeaders to) {
		from.forEach((name, values) -> {
			if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
				to.put(name, values);
			}
		});
	}

	/** The holder answered 404 for a job this instance accepted a moment ago. */
	private static final class NotCaughtUp extends RuntimeException {

		NotCaughtUp() {
			super("The ledger's holder has not got the job this instance just accepted", null, false, false);
		}

	}

}
