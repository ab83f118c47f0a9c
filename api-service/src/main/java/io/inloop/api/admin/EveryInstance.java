package io.inloop.api.admin;

import java.util.List;

import io.inloop.api.admin.AdminJobsController.JobsPage;
import io.inloop.api.ledger.JobLedger;
import io.inloop.api.ledger.JobPages;
import io.inloop.api.ledger.JobQuery;
import io.inloop.api.ledger.JobViews;
import io.inloop.api.ledger.LedgerPeers;
import io.inloop.api.problems.ApiProblem;
import io.inloop.schemas.JobView;
import org.apache.kafka.streams.state.HostInfo;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An operator's list across owners from every instance of the ledger, each of which holds some of
 * its partitions: this instance's page, then every other's, asked at once with the operator's own
 * request ({@link LedgerPeers}), merged into one page in the same order, limit and cursor
 * ({@link JobPages}). An instance that cannot answer makes the page a 503, never a page with holes.
 */
@Component
class EveryInstance {

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

	private Mono<JobPages.Page<JobView>> pageOf(ClientResponse answer) {
		if (answer.statusCode() != HttpStatus.OK) {
			return answer.releaseBody()
				.then(Mono.error(ApiProblem.LEDGER_UNAVAILABLE.exception(
						"An instance of the job ledger answered " + answer.statusCode().value() + "; try again shortly")));
		}
		return answer.bodyToMono(byte[].class).map(this::read);
	}

	private JobPages.Page<JobView> read(byte[] body) {
		JsonNode page = this.views.read(body);
		JsonNode next = page.path("next");
		return new JobPages.Page<>(this.views.list(page.path("jobs")), next.isString() ? next.asString() : null);
	}

}
