package io.inloop.system.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The demo page a newcomer sees first: start jobs, watch their toasts, cancel one. */
class DemoPageIT extends BrowserTests {

	private DemoPage page;

	private String user;

	@BeforeEach
	void openPage() {
		this.user = "demo-" + UUID.randomUUID().toString().substring(0, 8);
		this.page = new DemoPage(browser.driver, system.notifierPage()).open(this.user);
	}

	@AfterEach
	void cancelLeftovers() {
		api.cancelUnfinished(this.user);
	}

	@Test
	void quickJobShowsProgressRisingThenSuccessThenGoesAway() {
		String job = this.page.start("quick");

		await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			DemoPage.Toast toast = this.page.toast(job);
			assertThat(toast.state()).isEqualTo("RUNNING");
			assertThat(toast.percent()).isBetween(1, 99);
			assertThat(toast.message()).matches("Step [1-4] of 5");
		});
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			DemoPage.Toast toast = this.page.toast(job);
			assertThat(toast.state()).isEqualTo("SUCCEEDED");
			assertThat(toast.status()).isEqualTo("Done");
			assertThat(toast.percent()).isEqualTo(100);
		});
		assertThat(this.page.announced("polite")).contains("Quick job", "Done");
		assertThat(this.page.rendered(job)).extracting((entry) -> ((Number) entry.get("done")).intValue())
			.as("every step rendered once, in order")
			.containsSubsequence(1, 2, 3, 4, 5)
			.isSorted();
		assertThat(this.page.rendered(job)).extracting((entry) -> ((Number) entry.get("version")).longValue())
			.doesNotHaveDuplicates()
			.isSorted();
		await().atMost(Duration.ofSeconds(15)).until(() -> this.page.toast(job) == null);
	}

	@Test
	void failingJobShowsAStickyErrorWithItsMessage() {
		String job = this.page.start("failing");

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			DemoPage.Toast toast = this.page.toast(job);
			assertThat(toast.state()).isEqualTo("FAILED");
			assertThat(toast.status()).isEqualTo("Failed");
			assertThat(toast.message()).isEqualTo("The export server is out of disk");
			assertThat(toast.detail()).isNotEmpty();
		});
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.page.announced("assertive")).contains("The export server is out of disk"));
		// Longer than a success stays: an error waits for its reader.
		await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(12)).until(() -> this.page.toast(job) != null);

		this.page.toastElement(job).findElement(By.cssSelector("[data-testid=toast-close]"))
			.sendKeys(Keys.ESCAPE);
		await().atMost(Duration.ofSeconds(2)).until(() -> this.page.toast(job) == null);
	}

	@Test
	void cancelFromTheToastEndsTheJobCancelled() {
		String job = this.page.start("long");
		await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(this.page.toast(job).state()));

		this.page.cancelFromToast(job);

		await().atMost(Duration.ofSeconds(20)).until(() -> {
			DemoPage.Toast toast = this.page.toast(job);
			return toast == null || "CANCELLED".equals(toast.state());
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> "CANCELLED".equals(api.state(this.user, job)));
		assertThat(this.page.rendered(job)).last()
			.satisfies((entry) -> assertThat(entry.get("state")).isEqualTo("CANCELLED"));
	}

	@Test
	void serverSentEventsCarryAJobToItsEndWhenAskedFor() {
		this.page = new DemoPage(browser.driver, system.notifierPage()).open(this.user, "transport=sse");
		assertThat(this.page.transport()).isEqualTo("sse");

		String job = this.page.start("quick");

		await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(this.page.toast(job).state()));
		assertThat(this.page.log("open")).allSatisfy((entry) -> assertThat(entry.get("transport")).isEqualTo("sse"));
	}

	@Test
	void clientLoadsAsModuleAndAsClassicScriptFromAnotherOrigin() {
		// Another origin than the notifier's: a page of api-service.
		String elsewhere = system.api().resolve("/actuator/health").toString();
		browser.driver.get(elsewhere);
		String origin = system.notifierPage().toString().replaceAll("/$", "");
		Object module = browser.driver.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				import(arguments[0] + '/inloop.js')
					.then((m) => done(typeof m.connect + ' ' + m.PROTOCOL.close.TOKEN_EXPIRED))
					.catch((e) => done('error ' + e));""", origin);
		assertThat(module).isEqualTo("function 4001");

		browser.driver.get(elsewhere);
		Object classic = browser.driver.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				const script = document.createElement('script');
				script.src = arguments[0] + '/inloop.js';
				script.onload = () => done(typeof window.Inloop.connect + ' ' + window.Inloop.isTerminal('FAILED'));
				script.onerror = () => done('error');
				document.head.append(script);""", origin);
		assertThat(classic).isEqualTo("function true");
	}

	@Test
	void manyJobsStackAndTheDemoPageIsSavedForReview() throws IOException {
		String failing = this.page.start("failing");
		String quick = this.page.start("quick");
		String running = this.page.start("long");
		// The batch last: a succeeded toast goes 6 s after its job ends, and the batch's shortest job
		// takes 1.2 s, so all thirteen are on the page together for seconds after the batch's appear.
		this.page.click("start-ten");
		await().atMost(Duration.ofSeconds(20)).until(() -> this.page.toastIds().size() >= 13);

		List<String> ids = this.page.toastIds();
		List<DemoPage.Toast> toasts = ids.stream().map(this.page::toast).toList();
		assertThat(toasts).hasSize(13).doesNotContainNull();
		assertThat(ids.subList(10, 13)).as("newest on top").containsExactly(running, quick, failing);
		assertThat(toasts.stream().filter((toast) -> !toast.hidden())).as("visible toasts are capped").hasSize(4);
		// A moment worth a picture: something failed, something runs.
		await().atMost(Duration.ofSeconds(45)).until(() -> "FAILED".equals(this.page.toast(failing).state())
				&& "RUNNING".equals(this.page.toast(running).state()) && this.page.toast(running).percent() > 0);

		screenshot("demo.png");
		browser.driver.findElement(By.cssSelector("[data-testid=theme-select] option[value=dark]")).click();
		screenshot("demo-dark.png");
		browser.driver.findElement(By.cssSelector("[data-testid=theme-select] option[value='']")).click();
	}

	private static void screenshot(String name) throws IOException {
		Path screenshot = Path.of("target", "screenshots", name);
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, browser.driver.getScreenshotAs(OutputType.BYTES));
		assertThat(screenshot).isNotEmptyFile();
	}

}
