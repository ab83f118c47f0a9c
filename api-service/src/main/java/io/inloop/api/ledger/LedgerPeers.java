package io.inloop.api.ledger;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.netty.channel.ChannelOption;
import org.apache.kafka.streams.state.HostInfo;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;

/**
 * The other api-service instances of the ledger, as this one asks them: the caller's own request
 * (method, path, query, headers with its {@code Authorization}, body), so a peer authenticates and
 * authorizes the caller itself and no trust is added between instances; marked {@value #FORWARDED},
 * so a peer answers from the partitions it holds and never asks on.
 */
@Component
public class LedgerPeers {

	/** Marks a request one instance asks another, naming the instance that asks. */
	public static final String FORWARDED = "Inloop-Forwarded";

	/** Headers of one connection, not of the request or answer (RFC 9110, 7.6.1), and what the client sets itself. */
	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
			"transfer-encoding", "te", "trailer", "upgrade", "host", "content-length");

	/** The largest answer of a peer read whole rather than relayed as it comes. */
	private static final int MAX_ANSWER_IN_MEMORY = 16 * 1024 * 1024;

	private final WebClient peers;

	private final String self;

	LedgerPeers(LedgerSettings settings) {
		this.self = settings.advertisedAddress();
		Duration timeout = settings.forwardTimeout();
		this.peers = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create()
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
				// Between reads of the answer, so a long answer (a job's history) streams on
				.responseTimeout(timeout)))
			// A page of up to 200 jobs, with their results, read whole to be merged (AdminJobsController)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(MAX_ANSWER_IN_MEMORY))
			.build();
	}

	/** Whether another instance asked this one: then it answers from the partitions it holds. */
	public static boolean isForwarded(ServerHttpRequest request) {
		return request.getHeaders().containsHeader(FORWARDED);
	}

	/**
	 * Asks {@code peer} the request of {@code exchange} and reads its answer with {@code answer}
	 * (which must consume or release the body); fails if the peer cannot be reached or stops
	 * answering for {@code inloop.ledger.forward-timeout}.
	 */
	public <T> Mono<T> ask(HostInfo peer, ServerWebExchange exchange, Function<ClientResponse, Mono<T>> answer) {
		return request(peer, exchange).exchangeToMono(answer);
	}

	/**
	 * As {@link #ask}, for an answer that lasts (Server-Sent Events): it may be silent for
	 * {@code idle} between reads, rather than {@code inloop.ledger.forward-timeout}.
	 */
	public <T> Flux<T> follow(HostInfo peer, ServerWebExchange exchange, Duration idle,
			Function<ClientResponse, Flux<T>> answer) {
		return request(peer, exchange)
			.httpRequest((request) -> request.<HttpClientRequest>getNativeRequest().responseTimeout(idle))
			.exchangeToFlux(answer);
	}

	private WebClient.RequestHeadersSpec<?> request(HostInfo peer, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + request.getURI().getRawPath()
				+ ((request.getURI().getRawQuery() != null) ? "?" + request.getURI().getRawQuery() : ""));
		byte[] body = ForwardableBodies.of(exchange);
		WebClient.RequestBodySpec forwarded = this.peers.method(request.getMethod()).uri(uri).headers((headers) -> {
			copy(request.getHeaders(), headers);
			headers.set(FORWARDED, this.self);
		});
		return (body != null) ? forwarded.bodyValue(body) : forwarded;
	}

	/** Copies the headers that belong to a request or answer, not to its connection. */
	static void copy(HttpHeaders from, HttpHeaders to) {
		from.forEach((name, values) -> {
			if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
				to.put(name, values);
			}
		});
	}

}
