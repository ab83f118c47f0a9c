package io.inloop.api.overload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import io.inloop.api.problems.ApiProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

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
 * Holds a permit for each request of the API waiting for its answer, from when its caller is
 * authorized until its response is committed (for a stream, its first byte) or it ends; a request that finds
 * none left is answered {@code 503 overloaded} with {@code Retry-After} at once, without work. So
 * under more load than the instance can take, callers hear back within a second, and the requests
 * it took are answered in the time that many take, instead of every request waiting longer.
 * Health and metrics ({@code /actuator/**}) are never shed.
 */
@Component
class LoadShedding implements WebFilter, Ordered {

	/**
	 * After Spring Security's filter chain (-100): only a caller the API would serve takes a
	 * permit (an anonymous client holding requests open cannot starve the others), and a refusal
	 * carries the CORS headers a browser needs to read it. A shed request's token check is cheap
	 * (verified tokens are cached).
	 */
	static final int ORDER = 0;

	private final Semaphore permits;

	private final int maxInFlight;

	private final Counter shed;

	private final JsonMapper json;

	LoadShedding(OverloadSettings settings, MeterRegistry meters, JsonMapper json) {
		this.json = json;
		this.maxInFlight = settings.maxInFlight();
		this.permits = new Semaphore(Math.max(settings.maxInFlight(), 1));
		this.shed = Counter.builder("inloop.api.requests.shed")
			.description("Requests answered 503 overloaded because inloop.api.overload.max-in-flight were under way")
			.register(meters);
		Gauge.builder("inloop.api.requests.in-flight", this, LoadShedding::inFlight)
			.description("Requests of the API waiting for their answer (at most inloop.api.overload.max-in-flight)")
			.register(meters);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.maxInFlight == 0 || !isShedable(exchange.getRequest().getPath().value())) {
			return chain.filter(exchange);
		}
		if (!this.permits.tryAcquire()) {
			this.shed.increment();
			return refuse(exchange);
		}
		AtomicBoolean held = new AtomicBoolean(true);
		Runnable release = () -> {
			if (held.compareAndSet(true, false)) {
				this.permits.release();
			}
		};
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(release));
		return chain.filter(exchange).doFinally((signal) -> release.run());
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	int inFlight() {
		return (this.maxInFlight == 0) ? 0 : this.maxInFlight - this.permits.availablePermits();
	}

	private static boolean isShedable(String path) {
		return !path.startsWith("/actuator/");
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
		body.put("detail", "This instance has as many requests under way as it takes at once ("
				+ this.maxInFlight + "); try again after Retry-After seconds.");
		body.put("instance", exchange.getRequest().getPath().value());
		return response.writeWith(Mono.just(response.bufferFactory().wrap(this.json.writeValueAsBytes(body))));
	}

}
