package io.inloop.system.browser;

import io.inloop.system.InloopSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A class of tests in one real Chromium against the real stack: skipped where Chromium is not
 * installed (unless {@code INLOOP_REQUIRE_BROWSER}), one browser for the class, closed after it.
 */
abstract class BrowserTests {

	static Browser browser;

	static InloopSystem system;

	static JobsApi api;

	@BeforeAll
	static void openBrowser() {
		Browser.assumeInstalled();
		system = InloopSystem.get();
		api = new JobsApi(system);
		browser = Browser.open();
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

}
