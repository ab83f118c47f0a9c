package io.inloop.notifier.demo;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * The browser client's files ({@code /inloop.js}, the toasts, the typings) for pages of any origin:
 * a cross-origin {@code import} fetches a module in CORS mode, so they carry
 * {@code Access-Control-Allow-Origin: *} (they are public and hold no secrets; the streams keep
 * their own allowed origins). They come built from clients/js ({@code @inloop/client}) in the
 * {@code inloop-client-js} jar. The scripts are ES modules; a classic {@code <script src>}
 * (fetched in {@code no-cors} mode), or {@code ?classic}, gets the {@link ClassicScript} instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClientFiles implements WebFilter {

	/** Each script and its typings. */
	private static final Map<String, String> SCRIPTS = Map.of("/inloop.js", "/inloop.d.ts", "/inloop-toasts.js",
			"/inloop-toasts.d.ts");

	private static final Set<String> PUBLIC = Set.of("/inloop.js", "/inloop-toasts.js", "/inloop-toasts.css",
			"/inloop.d.ts", "/inloop-toasts.d.ts");

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	private final Map<String, ClassicScript> classic = SCRIPTS.keySet()
		.stream()
		.collect(Collectors.toUnmodifiableMap(Function.identity(), ClassicScript::of));

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getPath().pathWithinApplication().value();
		HttpMethod method = request.getMethod();
		if (!PUBLIC.contains(path) || !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
			return chain.filter(exchange);
		}
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
		ClassicScript script = this.classic.get(path);
		if (script != null) {
			headers.set(HttpHeaders.VARY, "Sec-Fetch-Mode");
			if (wantsClassic(request)) {
				return classic(exchange, script);
			}
			// Deno and some editors fetch the typings from here.
			headers.set("X-TypeScript-Types", SCRIPTS.get(path));
		}
		if (path.endsWith(".d.ts")) {
			// Otherwise served as video/mp2t.
			response.beforeCommit(() -> {
				headers.set(HttpHeaders.CONTENT_TYPE, "text/plain;charset=UTF-8");
				return Mono.empty();
			});
		}
		return chain.filter(exchange);
	}

	private static boolean wantsClassic(ServerHttpRequest request) {
		if (request.getQueryParams().containsKey("classic")) {
			return true;
		}
		HttpHeaders headers = request.getHeaders();
		return "script".equals(headers.getFirst("Sec-Fetch-Dest")) && "no-cors".equals(headers.getFirst("Sec-Fetch-Mode"));
	}

	private static Mono<Void> classic(ServerWebExchange exchange, ClassicScript script) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		headers.setETag(script.etag());
		headers.setCacheControl(CacheControl.noCache());
		if (script.etag().equals(exchange.getRequest().getHeaders().getFirst(HttpHeaders.IF_NONE_MATCH))) {
			response.setStatusCode(HttpStatus.NOT_MODIFIED);
			return response.setComplete();
		}
		headers.setContentType(JAVASCRIPT);
		headers.setContentLength(script.body().length);
		if (HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
			return response.setComplete();
		}
		return response.writeWith(Mono.just(response.bufferFactory().wrap(script.body())));
	}

}
