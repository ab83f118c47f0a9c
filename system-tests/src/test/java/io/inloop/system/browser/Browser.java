package io.inloop.system.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium from the system's packages. Where there is none the browser tests skip,
 * loudly, unless {@code INLOOP_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMIUM = Path.of(System.getProperty("inloop.test.chromium", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getProperty("inloop.test.chromedriver", "/usr/bin/chromedriver"));

	final ChromeDriver driver;

	private final Path profile;

	private Browser(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/** Skips (or fails, in CI) the calling test class when no Chromium is installed; call it first. */
	static void assumeInstalled() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		String why = "No Chromium at " + CHROMIUM + " with chromedriver at " + CHROMEDRIVER
				+ " (Debian: apt-get install chromium chromium-driver)";
		if ("1".equals(System.getenv("INLOOP_REQUIRE_BROWSER"))) {
			Assertions.fail(why + ", and INLOOP_REQUIRE_BROWSER=1 requires the browser tests to run");
		}
		System.err.println("""
				*****************************************************************************
				* SKIPPED: the browser tests (io.inloop.system.browser) need Debian's       *
				* Chromium and chromedriver. Set INLOOP_REQUIRE_BROWSER=1 to make this fail. *
				*****************************************************************************
				""" + why);
		Assumptions.abort(why);
	}

	static Browser open() {
		return open(false);
	}

	/** A browser whose network requests (URLs, headers, WebSocket handshakes) can be read: {@link #networkEvents()}. */
	static Browser openRecordingNetwork() {
		return open(true);
	}

	/** The DevTools {@code Network.*} events since the last call, as their JSON messages. */
	java.util.List<String> networkEvents() {
		return this.driver.manage()
			.logs()
			.get(org.openqa.selenium.logging.LogType.PERFORMANCE)
			.getAll()
			.stream()
			.map(org.openqa.selenium.logging.LogEntry::getMessage)
			.filter((message) -> message.contains("\"method\":\"Network."))
			.toList();
	}

	private static Browser open(boolean recordNetwork) {
		assumeInstalled();
		// Selenium Manager must never download a driver or a browser: both are given.
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		System.setProperty("SE_AVOID_STATS", "true");
		Path profile;
		try {
			profile = Files.createTempDirectory("inloop-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000",
				"--force-prefers-reduced-motion");
		if (recordNetwork) {
			org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
			logs.enable(org.openqa.selenium.logging.LogType.PERFORMANCE, java.util.logging.Level.ALL);
			options.setCapability("goog:loggingPrefs", logs);
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.withLogFile(new File("target/chromedriver.log"))
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
		driver.manage().window().setSize(new Dimension(1440, 1000));
		return new Browser(driver, profile);
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			try (var files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException ignored) {
				// A temp directory left behind.
			}
		}
	}

}
