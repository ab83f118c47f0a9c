package io.inloop.system.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @inloop/client/react} against the real stack: the package's React test app
 * (clients/js/test/fixtures/react-app.jsx, bundled with React and the built package into
 * {@value #TEST_APP} by the clients/js build) on a page of the notifier's origin, following jobs
 * submitted through the API with {@code useInloopJob} and {@code useInloopJobs}.
 */
class ReactHooksIT extends BrowserTests {

	static final String TEST_APP = "../clients/js/target/test-pages/react-app.js";

	private static String app;

	private String user;

	@BeforeAll
	static void readTheApp() throws IOException {
		Path bundle = Path.of(TEST_APP);
		assertThat(bundle).as("built by clients/js (npm run build:test-page, in its Maven build)").isRegularFile();
		app = Files.readString(bundle);
	}

	@AfterEach
	void cancelLeftovers() {
		if (this.user != null) {
			api.cancelUnfinished(this.user);
		}
	}

	@Test
	void useInloopJobFollowsARealJobToItsEndAndUseInloopJobsListsIt() {
		this.user = "react-" + UUID.randomUUID().toString().substring(0, 8);
		// Long enough (12 × 400 ms) that the page, opened after the POST, is live while it runs: with 4 × 300 ms a
		// loaded CI machine opened it after the job had ended, and no RUNNING was ever rendered
		String job = api.submit(this.user, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":12,\"delayMs\":400}}");
		open(job);

		await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(attribute("watched", "data-state")));
		assertThat(attribute("watched", "data-finished")).isEqualTo("true");
		assertThat(text("watched-progress")).isEqualTo("12/12 100%");
		assertThat(attribute("watched", "data-status")).isEqualTo("live");
		assertThat(text("job-" + job)).startsWith("SUCCEEDED 100%");
		@SuppressWarnings("unchecked")
		List<String> watched = (List<String>) browser.driver.executeScript("return window.watched;");
		assertThat(watched).as("every render of the watched job").last().isEqualTo("SUCCEEDED 12/12");
		assertThat(watched).as("progress shown on the way").anySatisfy((entry) -> assertThat(entry).matches("RUNNING ([0-9]|1[01])/12"));
	}

	@Test
	void aFailedJobShowsItsError() {
		this.user = "react-" + UUID.randomUUID().toString().substring(0, 8);
		String job = api.submit(this.user, "{\"type\":\"demo.fail\",\"payload\":{\"message\":\"Out of disk\"}}");
		open(job);

		await().atMost(Duration.ofSeconds(40)).until(() -> "FAILED".equals(attribute("watched", "data-state")));
		assertThat(text("watched-error")).endsWith(": Out of disk");
		assertThat(text("status")).isEqualTo("live");
	}

	/** A page of the notifier's origin (allowed to connect), with the React app watching {@code job}. */
	private void open(String job) {
		browser.driver.get(system.notifierPage().resolve("/actuator/health").toString());
		browser.driver.executeScript("""
				window.TEST_CONFIG = arguments[0];
				const script = document.createElement('script');
				script.textContent = arguments[1];
				document.body.append(script);""",
				Map.of("url", system.notifierPage().toString(), "token", system.token(this.user), "watch", job), app);
	}

	private String attribute(String testId, String name) {
		List<org.openqa.selenium.WebElement> found = browser.driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
		return found.isEmpty() ? null : found.get(0).getAttribute(name);
	}

	private String text(String testId) {
		return browser.driver.findElement(By.cssSelector("[data-testid='" + testId + "']")).getText();
	}

}
