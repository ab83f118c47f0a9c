package io.inloop.system.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.inloop.schemas.JobLifecycle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A toast survives what happens to the page and to the notifier: reloads, restarts. */
class ResumeIT extends BrowserTests {

	@Test
	void reloadMidJobBringsTheToastBackAndTheJobFinishesInIt() {
		String user = "reload-" + UUID.randomUUID().toString().substring(0, 8);
		DemoPage page = new DemoPage(browser.driver, system.notifierPage()).open(user);
		String job = api.submit(user, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":16,\"delayMs\":400}}");
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			DemoPage.Toast toast = page.toast(job);
			return toast != null && "RUNNING".equals(toast.state()) && toast.percent() >= 25;
		});
		int before = page.toast(job).percent();

		page.reload();

		// From the page's session storage, before the stream has said anything.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			DemoPage.Toast toast = page.toast(job);
			assertThat(toast).isNotNull();
			assertThat(toast.state()).isEqualTo("RUNNING");
			assertThat(toast.percent()).isGreaterThanOrEqualTo(before);
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			DemoPage.Toast toast = page.toast(job);
			return toast != null && "SUCCEEDED".equals(toast.state());
		});
		List<Map<String, Object>> rendered = page.rendered(job);
		assertThat(rendered.get(0).get("source")).isEqualTo("restored");
		assertThat(rendered).extracting((entry) -> ((Number) entry.get("version")).longValue())
			.as("after the reload: nothing shown twice, nothing out of order")
			.doesNotHaveDuplicates()
			.isSorted();
		// Catch-up frames appear only when a step happened while the page was away; either way no snapshot.
		assertThat(rendered.subList(1, rendered.size())).extracting((entry) -> entry.get("source"))
			.as("resumed by cursor, not from snapshots")
			.isSubsetOf("catch-up", "live");
		// One attempt, no stall report: each version is the worker's next sequence (version = attempt << 32 | sequence << 1)
		List<Long> sequences = rendered.stream()
			.map((entry) -> (long) JobLifecycle.sequenceOf(((Number) entry.get("version")).longValue()))
			.toList();
		for (int i = 1; i < sequences.size(); i++) {
			assertThat(sequences.get(i)).as("the step after the one restored from the page's storage is not missed")
				.isEqualTo(sequences.get(i - 1) + 1);
		}
	}

	@Test
	void notifierRestartMidJobReconnectsByItselfWithoutShowingAStepTwice() {
		String user = "restart-" + UUID.randomUUID().toString().substring(0, 8);
		DemoPage page = new DemoPage(browser.driver, system.notifierPage()).open(user);
		String job = api.submit(user, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":30,\"delayMs\":400}}");
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			DemoPage.Toast toast = page.toast(job);
			return toast != null && "RUNNING".equals(toast.state()) && toast.percent() > 0;
		});

		try {
			system.stopNotifier();
			await().atMost(Duration.ofSeconds(10)).until(() -> "reconnecting".equals(page.connectionStatus()));
		}
		finally {
			system.startNotifierAgain();
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> {
			DemoPage.Toast toast = page.toast(job);
			return toast != null && "SUCCEEDED".equals(toast.state());
		});
		assertThat(page.connectionStatus()).isEqualTo("live");
		assertThat(page.log("open")).as("connected, then reconnected by itself").hasSizeGreaterThanOrEqualTo(2);
		List<Map<String, Object>> rendered = page.rendered(job);
		assertThat(rendered).extracting((entry) -> ((Number) entry.get("version")).longValue())
			.as("no snapshot shown twice")
			.doesNotHaveDuplicates()
			.isSorted();
		assertThat(rendered).filteredOn((entry) -> "RUNNING".equals(entry.get("state")))
			.extracting((entry) -> ((Number) entry.get("done")).intValue())
			.as("every step once, in order, across the restart")
			.containsSubsequence(1, 10, 20, 30)
			.isSorted();
	}

}
