package io.inloop.notifier.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.inloop.notifier.NotifierTest;
import io.inloop.notifier.StatusTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built client files (clients/js, from the {@code inloop-client-js} jar) as a browser fetches
 * them: ES modules for {@code import}, esbuild's classic scripts for {@code <script src>}, typings.
 */
@NotifierTest
class ClientFilesTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void createTopics() {
		StatusTopic.create();
	}

	@Test
	void anImportGetsTheModuleWithItsTypings() {
		HttpResponse<String> module = get("/inloop.js", "cors");
		assertThat(module.statusCode()).isEqualTo(200);
		assertThat(module.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/javascript"));
		assertThat(module.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(module.headers().firstValue("Vary")).hasValueSatisfying((vary) -> assertThat(vary).contains("Sec-Fetch-Mode"));
		assertThat(module.headers().firstValue("X-TypeScript-Types")).hasValue("/inloop.d.ts");
		assertThat(module.body()).contains("function connect(").contains("export {").doesNotContain("globalThis.Inloop =");

		HttpResponse<String> toasts = get("/inloop-toasts.js", "cors");
		assertThat(toasts.headers().firstValue("X-TypeScript-Types")).hasValue("/inloop-toasts.d.ts");
		assertThat(toasts.body()).contains("function showToasts(").contains("export {");
	}

	@Test
	void aClassicScriptTagGetsTheBuiltScriptThatSetsWindowInloop() {
		HttpResponse<String> classic = get("/inloop.js", "no-cors");
		assertThat(classic.statusCode()).isEqualTo(200);
		assertThat(classic.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(classic.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(classic.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(classic.headers().firstValue("X-TypeScript-Types")).isEmpty();
		assertThat(classic.body()).startsWith("// @inloop/client ")
			.contains("(() => {")
			.contains("globalThis.Inloop = Object.assign(globalThis.Inloop || {}, ")
			.doesNotContainPattern("(?m)^\\s*(export|import)\\b");
		assertThat(get("/inloop.js?classic", "cors").body()).as("?classic forces it").isEqualTo(classic.body());
		assertThat(get("/inloop-toasts.js", "no-cors").body()).contains("function showToasts(")
			.contains("globalThis.Inloop = Object.assign(globalThis.Inloop || {}, ")
			.doesNotContainPattern("(?m)^\\s*(export|import)\\b");
	}

	@Test
	void theClassicScriptIsRevalidatedByItsETag() throws Exception {
		HttpResponse<String> first = get("/inloop-toasts.js", "no-cors");
		String etag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).matches("\"[0-9a-f]{32}\"");

		HttpResponse<String> again = this.http.send(request("/inloop-toasts.js", "no-cors").header("If-None-Match", etag).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();

		HttpResponse<String> head = this.http.send(
				request("/inloop-toasts.js", "no-cors").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(first.body().getBytes().length);
		assertThat(head.body()).isEmpty();
	}

	@Test
	void typingsAreTextForAnyOrigin() {
		for (String typings : new String[] { "/inloop.d.ts", "/inloop-toasts.d.ts" }) {
			HttpResponse<String> response = get(typings, "cors");
			assertThat(response.statusCode()).as(typings).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
			assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		}
		assertThat(get("/inloop.d.ts", "cors").body()).contains("export declare function connect(");
		assertThat(get("/inloop-toasts.d.ts", "cors").body()).contains("from './inloop.js'");
		assertThat(get("/inloop-toasts.css", "no-cors").body()).contains(".inloop-toast");
	}

	private HttpResponse<String> get(String path, String fetchMode) {
		try {
			return this.http.send(request(path, fetchMode).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest.Builder request(String path, String fetchMode) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Sec-Fetch-Mode", fetchMode)
			.header("Sec-Fetch-Dest", "script");
	}

}
