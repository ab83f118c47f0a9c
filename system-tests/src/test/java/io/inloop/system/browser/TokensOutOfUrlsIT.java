package io.inloop.system.browser;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.inloop.system.InloopSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * inloop.js never puts the token in a URL, where proxies and request logs keep it: the WebSocket
 * sends it as its first message, the event stream in its {@code Authorization} header. What the
 * browser really sent is read from its DevTools network log.
 */
class TokensOutOfUrlsIT {

	/** Every JWT starts so: the base64url of {@code {"}. */
	private static final String JWT = "eyJ";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static Browser browser;

	private static InloopSystem system;

	@BeforeAll
	static void start() {
		Browser.assumeInstalled();
		system = InloopSystem.get();
		browser = Browser.openRecordingNetwork();
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "websocket", "sse" })
	void theBrowserClientStreamsJobsWithoutEverPuttingTheTokenInAUrl(String transport) {
		browser.networkEvents();
		String user = "url-" + transport + "-" + UUID.randomUUID().toString().substring(0, 8);
		DemoPage page = new DemoPage(browser.driver, system.notifierPage()).open(user, "transport=" + transport);
		assertThat(page.transport()).isEqualTo(transport);
		String job = page.start("quick");
		await().atMost(Duration.ofSeconds(45)).until(() -> {
			DemoPage.Toast toast = page.toast(job);
			return toast != null && "SUCCEEDED".equals(toast.state());
		});

		List<String> network = browser.networkEvents();
		List<String> urls = network.stream().map(TokensOutOfUrlsIT::url).filter((url) -> url != null).toList();
		assertThat(urls).as("the browser did talk to the notifier and the API")
			.anyMatch((url) -> url.contains("/api/dev/tokens"))
			.anyMatch((url) -> url.contains(transport.equals("sse") ? "/events" : "/ws"));
		assertThat(urls).as("no URL the browser requested carries a token").noneMatch((url) -> url.contains(JWT))
			.noneMatch((url) -> url.contains("access_token"));
		if (transport.equals("sse")) {
			assertThat(network).as("the event stream's token went in its Authorization header")
				.anyMatch((event) -> event.contains("/events") && event.contains("Bearer " + JWT));
		}
	}

	/** The URL a request or WebSocket handshake event asked for, or null for any other event. */
	private static String url(String event) {
		JsonNode message = json.readTree(event).path("message");
		return switch (message.path("method").asString("")) {
			case "Network.requestWillBeSent" -> message.path("params").path("request").path("url").asString(null);
			case "Network.webSocketCreated" -> message.path("params").path("url").asString(null);
			default -> null;
		};
	}

}
