package io.inloop.api.overload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.inloop.api.problems.ApiProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds a place for each request of the API waiting for its answer, from when its caller is
 * authorized until its response is committed (for a stream, its first byte) or it ends; a request
 * that finds none left is answered {@code 503 overloaded} with {@code Retry-After} at once, without
 * work. The number of places adapts to how fast the instance answers ({@link OverloadSettings}),
 * with Netflix's concurrency-limits (an AIMD limit): under more load than it can take, callers
 * hear back within a second, and the requests it took are answered within about the target,
 * instead of every request waiting longer. Health and metrics ({@code /actuator/**}) are never shed.
 */
@Component
class LoadShedding implements WebFilter, Ordered {

	/**
	 * After Spring Security's filter chain (-100): only a caller the API would serve takes a
	 * place (an anonymous client holding requests open cannot starve the others), and a refusal
	 * carries the CORS headers a browser needs to read it. A shed request's token check is cheap
	 * (verified tokens are cached).
	 */
	static final int ORDER = 0;

	private final @Nullable SimpleLimiter<Void> limiter;

	private final Counter shed;

	private final JsonMapper json;

	LoadShedding(OverloadSettings settings, MeterRegistry meters, JsonMapper json) {
		this.json = json;
		this.limiter = (settings.maxInFlight() == 0) ? null : SimpleLimiter.newBuilder()
			.named("api")
			.limit(AIMDLimit.newBuilder()
				.initialLimit(Math.max(settings.minInFlight(), settings.maxInFlight() / 2))
				.minLimit(settings.minInFlight())
				.maxLimit(settings.maxInFlight())
				.timeout(settings.targetLatency().toNanos(), TimeUnit.NANOSECONDS)
				.build())
			.build();
		this.shed = Counter.builder("inloop.api.requests.shed")
			.description("Requests answered 503 overloaded because as many as the bound were under way")
			.register(meters);
		Gauge.builder("inloop.api.requests.in-flight", this, LoadShedding::inFlight)
			.description("Requests of the API waiting for their answer")
			.register(meters);
		Gauge.builder("inloop.api.requests.limit", this, LoadShedding::limit)
			.description("Requests the API takes at once now (adapts between inloop.api.overload.min- and max-in-flight)")
			.register(meters);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.limiter == null || exchange.getRequest().getPath().value().startsWith("/actuator/")) {
			return chain.filter(exchange);
		}
		Optional<Limiter.Listener> place = this.limiter.acquire(null);
		if (place.isEmpty()) {
			this.shed.increment();
			return refuse(exchange);
		}
		Limiter.Listener listener = place.get();
		AtomicBoolean held = new AtomicBoolean(true);
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> {
			if (held.compareAndSet(true, false)) {
				listener.onSuccess();
			}
		}));
		return chain.filter(exchange).doFinally((signal) -> {
			// Ended without an answer (the client went away): its time says nothing of the instance.
			if (held.compareAndSet(true, false)) {
				listener.onIgnore();
			}
		});
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	int inFlight() {
		return (this.limiter != null) ? this.limiter.getInflight() : 0;
	}

	int limit() {
		return (this.limiter != null) ? this.limiter.getLimit() : 0;
	}

	private Mono<Void> refuse(ServerWebExchange exchange) {
		ApiProblem problem = ApiProblem.OVERLOADED;
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(problem.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		ApiProblem.retryAfter(response.getHeaders(), ApiProblem.RETRY_AFTER);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.type().toString());
		body.put("title", problem.title());
		body.put("status", problem.status().value());
		body.put("detail", "This instance has as many requests under way as it answers in time ("
				+ limit() + " now); try again after Retry-After seconds.");
		body.put("instance", exchange.getRequest().getPath().value());
		return response.writeWith(Mono.just(response.bufferFactory().wrap(this.json.writeValueAsBytes(body))));
	}

}
