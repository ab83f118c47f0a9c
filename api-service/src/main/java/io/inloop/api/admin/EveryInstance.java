package io.inloop.api.admin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.inloop.api.admin.AdminJobsController.JobsPage;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.ledger.JobPages;
import io.inloop.api.ledger.JobQuery;
import io.inloop.api.ledger.JobViews;
import io.inloop.api.ledger.LedgerPeers;
import io.inloop.api.ledger.QueueStats;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.JobView;
import org.apache.kafka.streams.state.HostInfo;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What an operator sees across owners, from every instance of the ledger, each of which holds some
 * of its partitions and only their jobs and changes: a list is this instance's page, then every
 * other's, asked at once with the operator's own request ({@link LedgerPeers}), merged into one
 * page in the same order, limit and cursor ({@link JobPages}); an instance that cannot answer makes
 * the page a 503, never a page with holes. The live changes are every instance's, followed at once.
 */
@Component
class EveryInstance {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
	};

	private final JobLedger ledger;

	private final LedgerPeers peers;

	private final JobViews views;

	EveryInstance(JobLedger ledger, LedgerPeers peers, JobViews views) {
		this.ledger = ledger;
		this.peers = peers;
		this.views = views;
	}

	/** {@code here}, this instance's page, merged with the other instances' for the same request. */
	Mono<JobsPage> page(JobQuery query, Mono<JobsPage> here, ServerWebExchange exchange) {
		// Here first: a request this instance refuses (a cursor of other filters) is refused without asking the others
		return here.flatMap((mine) -> {
			List<HostInfo> others = this.ledger.otherInstances();
			if (others.isEmpty()) {
				return Mono.just(mine);
			}
			return Flux.fromIterable(others)
				.flatMap((peer) -> this.peers.ask(peer, exchange, this::pageOf)
					.onErrorMap((ex) -> !(ex instanceof ErrorResponseException),
							(ex) -> ApiProblem.LEDGER_UNAVAILABLE.exception(
									"An instance of the job ledger cannot be reached; try again shortly", ex)))
				.startWith(new JobPages.Page<>(mine.jobs(), mine.next()))
				.collectList()
				.map((pages) -> JobPages.merge(query, pages, JobView::submittedAt, JobView::id))
				.map((page) -> new JobsPage(page.jobs(), page.next()));
		});
	}

	/** {@code here}, this instance's figures, with every other instance's added. */
	Mono<QueueStats.Builder> stats(QueueStats.Builder here, ServerWebExchange exchange) {
		return Flux.fromIterable(this.ledger.otherInstances())
			.flatMap((peer) -> this.peers.ask(peer, exchange, this::statsOf)
				.onErrorMap((ex) -> !(ex instanceof ErrorResponseException),
						(ex) -> ApiProblem.LEDGER_UNAVAILABLE.exception(
								"An instance of the job ledger cannot be reached; try again shortly", ex)))
			.reduce(here, QueueStats.Builder::add);
	}

	private Mono<QueueStats> statsOf(ClientResponse answer) {
		if (answer.statusCode() != HttpStatus.OK) {
			return answer.releaseBody()
				.then(Mono.error(ApiProblem.LEDGER_UNAVAILABLE.exception(
						"An instance of the job ledger answered " + answer.statusCode().value() + "; try again shortly")));
		}
		return answer.bodyToMono(QueueStats.class);
	}

	private Mono<JobPages.Page<JobView>> pageOf(ClientResponse answer) {
		if (answer.statusCode() != HttpStatus.OK) {
			return answer.releaseBody()
				.then(Mono.error(ApiProblem.LEDGER_UNAVAILABLE.exception(
						"An instance of the job ledger answered " + answer.statusCode().value() + "; try again shortly")));
		}
		return answer.bodyToMono(byte[].class).map(this::read);
	}

	/**
	 * The changes of every instance's partitions, this instance's ({@code here}) and every other's
	 * (asked with the operator's own request), with one {@code live} once all of them are live, and
	 * {@code keepAlive}. The stream ends when one instance's part of it ends, or when the instances
	 * that hold the ledger's partitions are others than at its start: the dashboard then connects
	 * again and reads the list again, so no instance's changes go missing for longer than that.
	 */
	Flux<ServerSentEvent<JobView>> changes(Flux<ServerSentEvent<JobView>> here, Flux<ServerSentEvent<JobView>> keepAlive,
			ServerWebExchange exchange) {
		Set<HostInfo> others = Set.copyOf(this.ledger.otherInstances());
		ServerSentEvent<JobView> live = ServerSentEvent.<JobView>builder().event("live").build();
		AtomicInteger notLive = new AtomicInteger(others.size());
		Flux<ServerSentEvent<JobView>> theirs = others.isEmpty() ? Flux.just(live) : Flux.fromIterable(others)
			.flatMap((peer) -> this.peers
				.follow(peer, exchange, AdminJobsController.KEEP_ALIVE.multipliedBy(2),
						(answer) -> (answer.statusCode() == HttpStatus.OK) ? answer.bodyToFlux(EVENTS)
								: answer.releaseBody().thenMany(Flux.<ServerSentEvent<String>>empty()))
				.<ServerSentEvent<JobView>>handle((event, sink) -> {
					if ("job".equals(event.event()) && event.data() != null) {
						JobView job = this.views.of(this.views.read(event.data().getBytes(StandardCharsets.UTF_8)));
						sink.next(ServerSentEvent.builder(job).event("job").build());
					}
					else if ("live".equals(event.event()) && notLive.decrementAndGet() == 0) {
						sink.next(live);
					}
				})
				.onErrorResume((ex) -> Flux.empty())
				.concatWith(Flux.error(new Ended())));
		Flux<ServerSentEvent<JobView>> watched = keepAlive.takeWhile((tick) -> others.equals(othersNow(others)))
			.concatWith(Flux.error(new Ended()));
		// Subscribed to the changes here before asking the others
		return Flux.merge(here, watched, theirs).onErrorResume(Ended.class::isInstance, (ended) -> Flux.empty());
	}

	private Set<HostInfo> othersNow(Set<HostInfo> before) {
		try {
			return Set.copyOf(this.ledger.otherInstances());
		}
		catch (ErrorResponseException ex) {
			// Not serving for a moment (a rebalance): the instances are those of its end
			return before;
		}
	}

	private JobPages.Page<JobView> read(byte[] body) {
		JsonNode page = this.views.read(body);
		JsonNode next = page.path("next");
		return new JobPages.Page<>(this.views.list(page.path("jobs")), next.isString() ? next.asString() : null);
	}

	/** One instance's part of the live changes ended, or the instances changed: the whole stream ends. */
	private static final class Ended extends RuntimeException {

		Ended() {
			super("The instances' changes ended", null, false, false);
		}

	}

}
