package io.inloop.system.browser;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A page of an origin that neither the notifier nor the API allows: the same servers by another
 * name ({@code 127.0.0.1} for {@code localhost}), so another origin. The page reads why it is
 * refused, and {@code @inloop/client} reports it and stops instead of reconnecting forever.
 */
class ForeignOriginIT extends BrowserTests {

	private static final String ORIGIN_NOT_ALLOWED = "https://inloop.dev/problems/origin-not-allowed";

	@Test
	void theClientOfAPageOfAnOriginNotAllowedReportsTheRefusalAndStops() {
		String user = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
		URI notifier = system.notifierPage();
		browser.driver.get("http://127.0.0.1:" + notifier.getPort() + "/actuator/health");
		browser.driver.executeScript("""
				window.errors = [];
				window.statuses = [];
				import(arguments[0] + '/inloop.js').then((Inloop) => {
					window.client = Inloop.connect({ url: arguments[0], token: arguments[1], storage: null });
					window.client.on('error', (e) => window.errors.push({ kind: e.kind, status: e.status || 0,
						type: e.type || '', reason: e.reason || '' }));
					window.client.on('status', (status) => window.statuses.push(status));
				}).catch((e) => window.errors.push({ kind: 'import', reason: String(e) }));""",
				notifier.toString(), system.token(user));

		await().atMost(Duration.ofSeconds(20)).until(() -> !errors().isEmpty());
		assertThat(errors()).first().satisfies((error) -> {
			assertThat(error).containsEntry("kind", "refused").containsEntry("status", 403L)
				.containsEntry("type", ORIGIN_NOT_ALLOWED);
			assertThat((String) error.get("reason")).contains("127.0.0.1").contains("allowed-origins");
		});
		assertThat(browser.driver.executeScript("return window.client.status;")).isEqualTo("closed");
		// Stopped: nothing more is tried
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
			.until(() -> errors().size() == 1 && "closed".equals(browser.driver.executeScript("return window.statuses.at(-1);")));
	}

	@Test
	void aSubmissionFromAPageOfAnOriginNotAllowedIsRefusedWithAnAnswerThePageReads() {
		String user = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
		URI notifier = system.notifierPage();
		browser.driver.get("http://127.0.0.1:" + notifier.getPort() + "/actuator/health");
		Object answer = browser.driver.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0] + '/api/jobs', { method: 'POST', headers: { Authorization: 'Bearer ' + arguments[1],
						'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'demo.steps' }) })
					.then(async (response) => done({ status: response.status, body: await response.json() }))
					.catch((e) => done({ status: 0, body: { error: String(e) } }));""",
				system.api().toString(), system.token(user));
		@SuppressWarnings("unchecked")
		Map<String, Object> response = (Map<String, Object>) answer;
		assertThat(response).containsEntry("status", 403L);
		@SuppressWarnings("unchecked")
		Map<String, Object> problem = (Map<String, Object>) response.get("body");
		assertThat(problem).containsEntry("type", ORIGIN_NOT_ALLOWED);
		assertThat(api.jobs(user)).as("nothing was submitted").isEmpty();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> errors() {
		return (List<Map<String, Object>>) browser.driver.executeScript("return window.errors;");
	}

}
