package io.inloop.system.browser;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import static org.awaitility.Awaitility.await;

/** The demo page at the notifier's {@code /}, as the tests drive it: by its {@code data-testid}s. */
final class DemoPage {

	private final WebDriver driver;

	private final URI page;

	DemoPage(WebDriver driver, URI page) {
		this.driver = driver;
		this.page = page;
	}

	/** Opens the page signed in as {@code user} and waits until its stream is live. */
	DemoPage open(String user, String... query) {
		String extra = (query.length > 0) ? "&" + String.join("&", query) : "";
		this.driver.get(this.page.resolve("/?user=" + user + extra).toString());
		awaitLive();
		return this;
	}

	void awaitLive() {
		await().atMost(Duration.ofSeconds(60)).until(() -> "live".equals(connectionStatus()));
	}

	String connectionStatus() {
		return byTestId("connection-status").getDomAttribute("data-status");
	}

	String transport() {
		return byTestId("connection-status").getDomAttribute("data-transport");
	}

	/** Clicks a start button ({@code quick}, {@code long}, ...) and returns the id of the job whose toast appeared. */
	String start(String kind) {
		Set<String> before = Set.copyOf(toastIds());
		byTestId("start-" + kind).click();
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> toastIds().stream().filter((id) -> !before.contains(id)).findFirst().orElse(null),
					(id) -> id != null);
	}

	void click(String testId) {
		byTestId(testId).click();
	}

	List<String> toastIds() {
		return retrying(() -> this.driver.findElements(By.cssSelector("[data-testid=toast]"))
			.stream()
			.map((toast) -> toast.getDomAttribute("data-job-id"))
			.toList());
	}

	/** How the toast of {@code job} looks now, or null when there is none. */
	Toast toast(String job) {
		return retrying(() -> {
			List<WebElement> found = this.driver.findElements(By.cssSelector("[data-testid=toast][data-job-id='" + job + "']"));
			if (found.isEmpty()) {
				return null;
			}
			WebElement toast = found.get(0);
			WebElement bar = toast.findElement(By.cssSelector("[data-testid=toast-progress]"));
			String percent = bar.getDomAttribute("aria-valuenow");
			return new Toast(toast.getDomAttribute("data-state"), (percent != null) ? Integer.parseInt(percent) : -1,
					text(toast, "toast-status"), text(toast, "toast-message"), text(toast, "toast-detail"),
					toast.getDomAttribute("hidden") != null);
		});
	}

	void cancelFromToast(String job) {
		toastElement(job).findElement(By.cssSelector("[data-testid=toast-cancel]")).click();
	}

	WebElement toastElement(String job) {
		return this.driver.findElement(By.cssSelector("[data-testid=toast][data-job-id='" + job + "']"));
	}

	String announced(String politeness) {
		return byTestId("toast-announcer-" + politeness).getText();
	}

	/** The snapshots the page rendered for {@code job}, in order, from the client's debug log. */
	@SuppressWarnings("unchecked")
	List<Map<String, Object>> rendered(String job) {
		List<Map<String, Object>> log = (List<Map<String, Object>>) ((JavascriptExecutor) this.driver)
			.executeScript("return (window.__inloopLog || []).filter((e) => e.kind === 'job' && e.id === arguments[0]);", job);
		return log;
	}

	/** Every debug entry of a kind ({@code open}, {@code close}, {@code retry}, ...). */
	@SuppressWarnings("unchecked")
	List<Map<String, Object>> log(String kind) {
		return (List<Map<String, Object>>) ((JavascriptExecutor) this.driver)
			.executeScript("return (window.__inloopLog || []).filter((e) => e.kind === arguments[0]);", kind);
	}

	void reload() {
		this.driver.navigate().refresh();
	}

	private WebElement byTestId(String testId) {
		return this.driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
	}

	private static String text(WebElement toast, String testId) {
		List<WebElement> found = toast.findElements(By.cssSelector("[data-testid='" + testId + "']"));
		return found.isEmpty() ? "" : (String) found.get(0).getDomProperty("textContent");
	}

	private static <T> T retrying(java.util.function.Supplier<T> read) {
		// The page re-renders while it is read; a second read sees the new element.
		for (int attempt = 0;; attempt++) {
			try {
				return read.get();
			}
			catch (StaleElementReferenceException | NoSuchElementException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	/** @param percent the progress bar's value, -1 when it has none */
	record Toast(String state, int percent, String status, String message, String detail, boolean hidden) {
	}

	static Set<Long> versions(List<Map<String, Object>> rendered) {
		return rendered.stream().map((entry) -> ((Number) entry.get("version")).longValue()).collect(Collectors.toSet());
	}

}
