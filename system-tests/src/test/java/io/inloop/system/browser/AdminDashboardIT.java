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
import org.openqa.selenium.Dimension;
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
		click(byTestId("dev-token"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(byTestId("signin-error").getText()).contains("--allow-admin-dev-tokens"));
		byTestId("token").sendKeys(system.token(owner));
		click(byTestId("use-token"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(byTestId("signin-error").getText())
			.isEqualTo("This token does not carry the admin scope."));
		assertThat(byTestId("dashboard").isDisplayed()).isFalse();

		byTestId("token").sendKeys(system.token("operator", List.of("admin")));
		click(byTestId("use-token"));
		await().atMost(Duration.ofSeconds(20)).until(() -> "live".equals(byTestId("live-status").getDomAttribute("data-status")));

		// Filter by owner: only that owner's jobs stay
		await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().contains(someoneElses) || rowIds().contains(failing));
		byTestId("filter-owner").sendKeys(owner);
		click(byTestId("apply-filters"));
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
		click(byTestId("clear-filters"));
		await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().contains(someoneElses));
		String running = api.submit(owner, "{\"type\":\"demo.steps\",\"payload\":{\"steps\":30,\"delayMs\":1000}}");
		await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(stateOf(running))
				&& Integer.parseInt(row(running).getDomAttribute("data-done")) >= 2);
		// The whole page, queue health on top
		driver.manage().window().setSize(new Dimension(1440, 1700));
		driver.executeScript("window.scrollTo(0, 0);");
		screenshot("admin-dashboard.png");
		driver.manage().window().setSize(new Dimension(1440, 1000));
		clickInRow(running, "job-cancel");
		await().atMost(Duration.ofSeconds(30)).until(() -> "CANCELLED".equals(stateOf(running)));
	}

	@Test
	void theQueuesHealthShowsWhatWaitsAndWhatEndedAndThePageFits1280Pixels() {
		ChromeDriver driver = browser.driver;
		// A long owner and a long message: the tables must still fit
		String owner = "health-" + UUID.randomUUID() + "-" + UUID.randomUUID();
		String failing = api.submit(owner, "{\"type\":\"demo.fail\",\"payload\":{\"message\":\"<img src=x onerror=alert(1)> "
				+ "and then a long explanation of why the export could not be written to the disk it was meant for\"},\"maxAttempts\":1}");
		driver.manage().window().setSize(new Dimension(1280, 900));
		try {
			driver.get(system.api().resolve("/admin").toString());
			if (byTestId("signin").isDisplayed()) {
				byTestId("token").sendKeys(system.token("operator", List.of("admin")));
				click(byTestId("use-token"));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(api.state(owner, failing)));
			// Figures come every 5 s: the failed job is among those that ended in the last hour
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(count(byTestId("health-state-FAILED").getText())).isPositive();
				assertThat(Long.parseLong(byTestId("health-ended").getText())).isPositive();
				assertThat(byTestId("health-failure-rate").getText()).endsWith("%");
				assertThat(typeRow("demo.fail").findElements(By.tagName("td")).get(6).getText()).as("demo.fail's FAILED")
					.isNotEqualTo("0");
			});
			assertThat(byTestId("health-waiting").getText()).matches("[0-9]+");
			assertThat(byTestId("health-oldest").getText()).matches("–|[0-9]+ s|[0-9]+ min [0-9]+ s|[0-9]+ h [0-9]+ min");

			// A state's figure opens that state's jobs
			click(byTestId("health-state-FAILED"));
			await().atMost(Duration.ofSeconds(10)).until(() -> rowIds().contains(failing));
			assertThat(rowIds()).allSatisfy((id) -> assertThat(stateOf(id)).isEqualTo("FAILED"));
			// Found by its id, with its payload; nothing of a user's text runs as HTML: it is shown as text
			byTestId("find-id").sendKeys(failing);
			click(byTestId("find-job"));
			await().atMost(Duration.ofSeconds(20)).until(() -> "true".equals(byTestId("history").getDomAttribute("data-loaded")));
			assertThat(byTestId("detail-id").getText()).isEqualTo(failing);
			assertThat(byTestId("fact-error").getText()).contains("<img src=x onerror=alert(1)>");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(byTestId("fact-payload").getText())
				.contains("\"message\": \"<img src=x onerror=alert(1)> and then a long explanation"));
			assertThat(driver.findElements(By.cssSelector("img[src=x]"))).isEmpty();

			// Its command was dead-lettered (one attempt, failed): listed with why, and retried from the selection
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				click(byTestId("dead-letters-refresh"));
				return deadLetterRow(failing) != null;
			});
			assertThat(deadLetterRow(failing).findElements(By.cssSelector("td.clip")))
				.extracting((cell) -> cell.getDomAttribute("title"))
				.as("owner and type, whole in their titles")
				.containsExactly(owner, "demo.fail");
			assertThat(deadLetterRow(failing).getText()).contains("handler-error");
			click(deadLetterRow(failing).findElement(By.cssSelector("[data-testid=dead-letter-pick]")));
			click(byTestId("dead-letters-retry"));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(byTestId("notice").getText())
				.startsWith("1 retried as "));

			Object overflow = driver.executeScript(
					"return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
			assertThat(((Number) overflow).longValue()).as("pixels to scroll the page sideways at 1280 px").isLessThanOrEqualTo(0);
			@SuppressWarnings("unchecked")
			List<Number> tables = (List<Number>) driver.executeScript("return [...document.querySelectorAll('.table-wrap')]"
					+ ".filter((wrap) => wrap.offsetParent !== null).map((wrap) => wrap.scrollWidth - wrap.clientWidth);");
			assertThat(tables).as("pixels to scroll each table sideways at 1280 px").isNotEmpty()
				.allSatisfy((pixels) -> assertThat(pixels.longValue()).isLessThanOrEqualTo(0));
		}
		finally {
			// The next test signs in from the start
			if (!driver.findElements(By.cssSelector("[data-testid=sign-out]")).isEmpty() && byTestId("sign-out").isDisplayed()) {
				click(byTestId("sign-out"));
			}
			driver.manage().window().setSize(new Dimension(1440, 1000));
		}
	}

	private WebElement deadLetterRow(String job) {
		List<WebElement> rows = browser.driver.findElements(
				By.cssSelector("[data-testid=dead-letter-row][data-job-id='" + job + "']"));
		return rows.isEmpty() ? null : rows.get(0);
	}

	private static long count(String chip) {
		return Long.parseLong(chip.replaceAll("[^0-9]", ""));
	}

	private WebElement typeRow(String type) {
		return browser.driver.findElement(By.cssSelector("[data-testid=health-types] tr[data-type='" + type + "']"));
	}

	private WebElement byTestId(String testId) {
		return browser.driver.findElement(By.cssSelector("[data-testid=" + testId + "]"));
	}

	/** Clicks an element scrolled to the middle of the window: the page's sticky header covers its top. */
	private static void click(WebElement element) {
		browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
		element.click();
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
			click(row(job).findElement(By.cssSelector("[data-testid=" + testId + "]")));
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
