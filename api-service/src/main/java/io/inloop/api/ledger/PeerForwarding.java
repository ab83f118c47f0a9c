package io.inloop.api.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.inloop.schemas.JobStatusChanged;
import io.inloop.schemas.JobView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Answers a request whose ledger partition another instance holds ({@link LedgerElsewhereException})
 * with that instance's answer to the same request ({@link LedgerPeers}), its status, headers and
 * body relayed as they come. A request that was forwarded already is never forwarded again: an
 * instance that no longer holds the partition (a rebalance under way) answers 503 with
 * {@code Retry-After}, as does a holder that cannot be reached within
 * {@code inloop.ledger.forward-timeout}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PeerForwarding {

	/** How often, at most, a holder that has not got yet a job this instance just accepted is asked again. */
	private static final int CATCH_UP_ATTEMPTS = 8;

	/** A list's order, as {@link JobLedger#list} sorts it: newest submission first, then by job id. */
	private static final Comparator<JobView> NEWEST_FIRST = Comparator
		.comparing(JobView::submittedAt, Comparator.reverseOrder())
		.thenComparing(JobView::id);

	private static final Logger logger = LoggerFactory.getLogger(PeerForwarding.class);

	private final LedgerPeers peers;

	private final JobLedger ledger;

	private final JobViews views;

	/** The API's problem answers ({@code ProblemExceptionHandler}), for the ones this answers itself. */
	private final ResponseEntityExceptionHandler problems;

	/** Requests whose holder's answer was relayed. */
	private final Counter answered;

	/** Requests whose holder could not be reached in time, or had not got a job this instance just accepted: 503. */
	private final Counter failed;

	/** Requests another instance forwarded about partitions this one does not hold: 503, not forwarded again. */
	private final Counter notHeld;

	PeerForwarding(LedgerPeers peers, JobLedger ledger, JobViews views, ResponseEntityExceptionHandler problems,
			MeterRegistry meters) {
		this.peers = peers;
		this.ledger = ledger;
		this.views = views;
		this.problems = problems;
		this.answered = forwards("answered", meters);
		this.failed = forwards("failed", meters);
		this.notHeld = forwards("not-held", meters);
	}

	private static Counter forwards(String outcome, MeterRegistry meters) {
		return Counter.builder("inloop.ledger.forwards")
			.description("Requests about ledger partitions another instance holds, by what became of them")
			.tag("outcome", outcome)
			.register(meters);
	}

	@ExceptionHandler
	Mono<ResponseEntity<Object>> elsewhere(LedgerElsewhereException elsewhere, ServerWebExchange exchange) {
		if (LedgerPeers.isForwarded(exchange.getRequest())) {
			logger.debug("Asked by {} about partitions this instance does not hold",
					exchange.getRequest().getHeaders().getFirst(LedgerPeers.FORWARDED));
			if (elsewhere.whenForwarded() == elsewhere) {
				this.notHeld.increment();
			}
			return this.problems.handleException(elsewhere.whenForwarded(), exchange);
		}
		return ask(elsewhere, 0, exchange).then(Mono.<ResponseEntity<Object>>empty())
			.doOnSuccess((relayed) -> this.answered.increment())
			.onErrorResume((ex) -> !exchange.getResponse().isCommitted(), (ex) -> {
				this.failed.increment();
				logger.debug("Could not forward {} to {}: {}", exchange.getRequest().getPath(), elsewhere.holders(),
						ex.toString());
				return this.problems.handleException(new LedgerUnavailableException(ex), exchange);
			});
	}

	/** Asks the holders in turn until one knows the job (answers other than 404), and relays its answer. */
	private Mono<Void> ask(LedgerElsewhereException elsewhere, int next, ServerWebExchange exchange) {
		List<HostInfo> holders = elsewhere.holders();
		boolean last = next == holders.size() - 1;
		NotYetHeld accepted = elsewhere.notYetHeld();
		return this.peers.ask(holders.get(next), exchange, (answer) -> {
			if (answer.statusCode() == HttpStatus.NOT_FOUND) {
				if (accepted instanceof NotYetHeld.Job) {
					return answer.releaseBody().then(Mono.error(new NotCaughtUp()));
				}
				if (!last) {
					return answer.releaseBody().then(Mono.just(false));
				}
			}
			if (accepted instanceof NotYetHeld.Job one && answer.statusCode().is2xxSuccessful()) {
				this.ledger.heldElsewhere(one.job());
			}
			if (accepted instanceof NotYetHeld.Jobs jobs && answer.statusCode() == HttpStatus.OK) {
				return relayWith(jobs, answer, exchange.getResponse()).thenReturn(true);
			}
			return relay(answer, exchange.getResponse()).thenReturn(true);
		})
			// The job this instance just accepted is on its way to the holder's ledger: ask again
			// rather than say there is no such job (read your writes across instances)
			.retryWhen(Retry.backoff(CATCH_UP_ATTEMPTS, Duration.ofMillis(20))
				.maxBackoff(Duration.ofMillis(250))
				.filter(NotCaughtUp.class::isInstance))
			.flatMap((relayed) -> relayed ? Mono.<Void>empty() : ask(elsewhere, next + 1, exchange));
	}

	private static Mono<Void> relay(ClientResponse answer, ServerHttpResponse response) {
		response.setStatusCode(answer.statusCode());
		LedgerPeers.copy(answer.headers().asHttpHeaders(), response.getHeaders());
		return response.writeWith(answer.bodyToFlux(DataBuffer.class));
	}

	/**
	 * The holder's list with the jobs this instance just accepted that it leaves out (its ledger
	 * has not got them yet), in the list's order and within its limit, as a list here adds them.
	 */
	private Mono<Void> relayWith(NotYetHeld.Jobs accepted, ClientResponse answer, ServerHttpResponse response) {
		return answer.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).flatMap((body) -> {
			List<JobView> listed = this.views.list(this.views.read(body));
			Set<String> ids = listed.stream().map(JobView::id).collect(Collectors.toSet());
			List<JobView> missing = new ArrayList<>();
			for (JobStatusChanged job : accepted.jobs()) {
				if (ids.contains(job.getJobId())) {
					this.ledger.heldElsewhere(job);
				}
				else {
					missing.add(JobView.of(job));
				}
			}
			byte[] amended = missing.isEmpty() ? body : this.views.write(Stream.concat(listed.stream(), missing.stream())
				.sorted(NEWEST_FIRST)
				.limit(accepted.limit())
				.toList());
			response.setStatusCode(answer.statusCode());
			LedgerPeers.copy(answer.headers().asHttpHeaders(), response.getHeaders());
			return response.writeWith(Mono.just(response.bufferFactory().wrap(amended)));
		});
	}

	/** The holder answered 404 for a job this instance accepted a moment ago. */
	private static final class NotCaughtUp extends RuntimeException {

		NotCaughtUp() {
			super("The ledger's holder has not got the job this instance just accepted", null, false, false);
		}

	}

}
