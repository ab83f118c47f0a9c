package io.inloop.api.ledger;

import java.io.ByteArrayOutputStream;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps a copy of the body of each request that may have to be forwarded with it: a submission
 * with an {@code Idempotency-Key}, the only one with a body that asks the ledger (whether the key
 * made a job already). The body is read by the endpoint before the ledger is asked, so the copy is
 * whole by then; the codecs' limit ({@code spring.codec.max-in-memory-size}) bounds it.
 */
@Component
class ForwardableBodies implements WebFilter, Ordered {

	private static final String ATTRIBUTE = ForwardableBodies.class.getName() + ".body";

	/** The body the request came with, if it is one whose body is kept. */
	static byte @Nullable [] of(ServerWebExchange exchange) {
		ByteArrayOutputStream body = exchange.getAttribute(ATTRIBUTE);
		return (body != null) ? body.toByteArray() : null;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getMethod() != HttpMethod.POST
				|| !exchange.getRequest().getHeaders().containsHeader("Idempotency-Key")) {
			return chain.filter(exchange);
		}
		ByteArrayOutputStream copy = new ByteArrayOutputStream();
		exchange.getAttributes().put(ATTRIBUTE, copy);
		return chain.filter(exchange.mutate().request(new ServerHttpRequestDecorator(exchange.getRequest()) {

			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody().doOnNext((buffer) -> copy(buffer, copy));
			}

		}).build());
	}

	private static void copy(DataBuffer buffer, ByteArrayOutputStream copy) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		int position = buffer.readPosition();
		buffer.read(bytes);
		buffer.readPosition(position);
		synchronized (copy) {
			copy.writeBytes(bytes);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
