package io.inloop.system.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operators' dashboard at api-service's {@code /admin}, in a real Chromium against the real stack. */
class AdminDashboardIT extends BrowserTests {

	@Test
	void anOperatorFiltersSeesLiveChangesReadsAHistoryAndRetriesAFailedJob() throws IOException {
		ChromeDriver driver = browser.driver;
		String owner = "ops-" + UUID.randomUUID().toString().substring(0, 8);
		String failing = api.submit(owner, "{\"type\":\"demo.fail\",\"payload\":{\"message\":\"The export server is out of disk\"},\"maxAttempts\":1}");
		String someoneElses = api.submit("other-" + UUID.randomUUID().toString().substring(0, 8), "{\"type\":\"demo.steps\",\"payload\":{\"steps\":2,\"delayMs\":100}}");

		driver.get(system.api().resolve("/admin").toString());
		// Dev tokens carry admin only where the stack allows it; a user's token is not an operator's
		byTestId("dev-token").click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(byTestId("signin-error").getText()).contains("--allow-admin-dev-tokens"));
		byTestId("token").sendKeys(system.token(owner));
		byTestId("use-token").click();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(byTestId("signin-error").getText())
			.isEqualTo("This token does not carry the admin scope."));
		assertThat(byTestId("dashboard").isDisplayed()).isFalse();

		byTestId("token").sendKeys(system.token("operator", List.of("admin")));
		byTestId("use-token").click();
		await().atMost(Duration.ofSeconds(20)).until(() -> "live".equals(byTestId("live-status").getDomAttribute("data-status")));

		// Filter by owner: only that owner's jobs stay
		await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().contains(someoneElses) || rowIds().contains(failing));
		byTestId("filter-owner").sendKeys(owner);
		byTestId("apply-filters").click();
		await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().equals(List.of(failing)));

		// A live update: a job submitted now appears and runs to its end without a reload
		String live = api.submit(owner, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":4,\"delayMs\":400}}");
		await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(stateOf(live)));
		await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(stateOf(live)));
		assertThat(rowIds()).as("newest first, someone else's job filtered out").containsExactly(live, failing);
		// A row names its job by the end of its id: the start is a UUIDv7's timestamp, alike for jobs of the same moment
		assertThat(row(live).getText()).contains("…" + live.substring(live.length() - 8)).doesNotContain(live.substring(0, 8));
		await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(stateOf(failing)));

		// The failed job's history, from the status topic
		clickInRow(failing, "job-history");
		await().atMost(Duration.ofSeconds(20)).until(() -> "true".equals(byTestId("history").getDomAttribute("data-loaded")));
		assertThat(historyStates()).startsWith("QUEUED").contains("RUNNING").endsWith("FAILED");
		assertThat(byTestId("fact-error").getText()).contains("The export server is out of disk");

		// Retry: a new job of the same owner runs the same work again, and its owner sees it
		clickInRow(failing, "job-retry");
		String retried = await().atMost(Duration.ofSeconds(20))
			.until(() -> rowIds().stream().filter((id) -> !Set.of(live, failing).contains(id)).findFirst().orElse(null),
					(id) -> id != null);
		assertThat(byTestId("notice").getText()).contains("runs again as " + retried);
		assertThat(api.state(owner, retried)).isIn("QUEUED", "RUNNING", "FAILED");
		await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(stateOf(retried)));
		assertThat(stateOf(failing)).as("the old job keeps its end").isEqualTo("FAILED");

		// A moment worth a picture: the list across owners with something running, the history open
		byTestId("clear-filters").click();
		await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().contains(someoneElses));
		String running = api.submit(owner, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":30,\"delayMs\":1000}}");
		await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(stateOf(running))
				&& Integer.parseInt(row(running).getDomAttribute("data-done")) >= 2);
		screenshot("admin-dashboard.png");
		clickInRow(running, "job-cancel");
		await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(stateOf(running)));
	}

	private WebElement byTestId(String testId) {
		return browser.driver.findElement(By.cssSelector("[data-testid=" + testId + "]"));
	}

	private List<String> rowIds() {
		try {
			return browser.driver.findElements(By.cssSelector("[data-testid=job-row]"))
				.stream()
				.map((row) -> row.getDomAttribute("data-job-id"))
				.toList();
		}
		catch (StaleElementReferenceException ex) {
			return List.of();
		}
	}

	/**
	 * Clicks a button of a job's row. A row is drawn again on each change of its job (a running
	 * job's progress), so a button found just before may be gone by the click: find it again.
	 */
	private void clickInRow(String job, String testId) {
		await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class).until(() -> {
			row(job).findElement(By.cssSelector("[data-testid=" + testId + "]")).click();
			return true;
		});
	}

	private WebElement row(String job) {
		return browser.driver.findElement(By.cssSelector("[data-testid=job-row][data-job-id='" + job + "']"));
	}

	private String stateOf(String job) {
		try {
			List<WebElement> rows = browser.driver.findElements(By.cssSelector("[data-testid=job-row][data-job-id='" + job + "']"));
			return rows.isEmpty() ? null : rows.get(0).getDomAttribute("data-state");
		}
		catch (StaleElementReferenceException ex) {
			return null;
		}
	}

	private List<String> historyStates() {
		return browser.driver.findElements(By.cssSelector("[data-testid=history-row]"))
			.stream()
			.map((row) -> row.getDomAttribute("data-state"))
			.toList();
	}

	private static void screenshot(String name) throws IOException {
		Path screenshot = Path.of("target", "screenshots", name);
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, browser.driver.getScreenshotAs(OutputType.BYTES));
		assertThat(screenshot).isNotEmptyFile();
	}

}
