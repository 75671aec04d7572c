package dev.tutti.sample.chat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the sample page in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver} packages; never a downloaded browser).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleChatBrowserIntegrationTests {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	@LocalServerPort
	private int port;

	@TempDir
	Path profile;

	private ChromeDriver driver;

	@BeforeEach
	void startBrowser() throws IOException {
		assertThat(new File(CHROMIUM)).as("Chromium (apt-get install chromium chromium-driver)").isExecutable();
		assertThat(new File(CHROMEDRIVER)).as("ChromeDriver (apt-get install chromium-driver)").isExecutable();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + Files.createDirectories(this.profile.resolve("chromium")));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@Test
	void messageSentFromOneTabReachesEveryOpenTab() {
		String url = "http://localhost:" + this.port + "/";
		this.driver.get(url);
		String first = this.driver.getWindowHandle();
		awaitConnected();
		this.driver.switchTo().newWindow(WindowType.TAB).get(url);
		String second = this.driver.getWindowHandle();
		awaitConnected();

		this.driver.findElement(By.id("text")).sendKeys("hello from the second tab");
		this.driver.findElement(By.id("send")).click();

		for (String tab : List.of(second, first)) {
			WebDriver window = this.driver.switchTo().window(tab);
			new WebDriverWait(window, Duration.ofSeconds(10)).until(
					ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "hello from the second tab"));
			assertThat(window.findElements(By.cssSelector("#messages li"))).hasSize(1);
		}
	}

	private void awaitConnected() {
		new WebDriverWait(this.driver, Duration.ofSeconds(10))
			.until(ExpectedConditions.textToBe(By.id("status"), "Connected"));
	}

}
