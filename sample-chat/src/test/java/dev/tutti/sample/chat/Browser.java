package dev.tutti.sample.chat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One headless Chromium for a test class, as a JUnit extension: started before the first
 * test, its tabs closed after each test, quit after the last. When a test fails, every
 * open tab's screenshot and the browser's console log are written under
 * {@code target/browser-failures/}.
 * <p>
 * The browser and its driver are Debian's {@code chromium} and {@code chromium-driver}
 * packages, named by path, so Selenium never looks for or downloads either (the build
 * also points Selenium Manager at {@code /bin/false}).
 */
final class Browser implements BeforeAllCallback, AfterEachCallback, AfterTestExecutionCallback, AfterAllCallback {

	static final String CHROMIUM = "/usr/bin/chromium";

	static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Path FAILURES = Path.of("target", "browser-failures");

	private final List<String> consoleLog = new ArrayList<>();

	private ChromeDriver driver;

	private Path profile;

	private String blank;

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		assertThat(new File(CHROMIUM)).as("Chromium (apt-get install chromium chromium-driver)").isExecutable();
		assertThat(new File(CHROMEDRIVER)).as("ChromeDriver (apt-get install chromium-driver)").isExecutable();
		this.profile = Files.createTempDirectory("tutti-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
				"--disable-backgrounding-occluded-windows", "--window-size=1280,900",
				"--user-data-dir=" + this.profile.resolve("profile"));
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
		this.blank = this.driver.getWindowHandle();
	}

	/**
	 * Open a page in a new tab.
	 * @param url the page
	 * @return the tab
	 */
	Tab open(String url) {
		this.driver.switchTo().newWindow(WindowType.TAB).get(url);
		return new Tab(this.driver, this.driver.getWindowHandle());
	}

	/**
	 * Forget every cookie, such as a login, of the current tab's site.
	 */
	void signOut() {
		this.driver.manage().deleteAllCookies();
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		collectConsole();
		if (context.getExecutionException().isEmpty() || this.driver == null) {
			return;
		}
		Path directory = FAILURES
			.resolve(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
		try {
			Files.createDirectories(directory);
			int n = 0;
			for (String handle : this.driver.getWindowHandles()) {
				this.driver.switchTo().window(handle);
				byte[] png = this.driver.getScreenshotAs(OutputType.BYTES);
				Files.write(directory.resolve("tab-" + (++n) + ".png"), png);
				Files.writeString(directory.resolve("tab-" + n + ".html"), this.driver.getPageSource());
			}
			Files.write(directory.resolve("console.log"), this.consoleLog);
		}
		catch (IOException | RuntimeException ex) {
			context.publishReportEntry(Map.of("browser-failure-artifacts", "not written: " + ex));
			return;
		}
		context.publishReportEntry(Map.of("browser-failure-artifacts", directory.toAbsolutePath().toString()));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.consoleLog.clear();
		for (String handle : this.driver.getWindowHandles()) {
			if (!handle.equals(this.blank)) {
				this.driver.switchTo().window(handle).close();
			}
		}
		this.driver.switchTo().window(this.blank);
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		if (this.driver != null) {
			this.driver.quit();
		}
		if (this.profile != null) {
			try (var files = Files.walk(this.profile)) {
				files.sorted((a, b) -> b.compareTo(a)).forEach((file) -> {
					try {
						Files.deleteIfExists(file);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
			}
			catch (UncheckedIOException ex) {
				// Chromium may still be writing its profile; the temporary directory
				// stays
			}
		}
	}

	private void collectConsole() {
		if (this.driver == null) {
			return;
		}
		try {
			for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
				this.consoleLog.add(entry.toString());
			}
		}
		catch (RuntimeException ex) {
			this.consoleLog.add("Console log not available: " + ex);
		}
	}

}
