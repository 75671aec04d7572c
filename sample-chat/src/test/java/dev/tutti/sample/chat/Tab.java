package dev.tutti.sample.chat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser tab showing the chat page, as the tests drive it. Every call switches to
 * the tab first, so tests can alternate between tabs freely.
 */
final class Tab {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final String LINES = """
			return Array.from(document.querySelectorAll(arguments[0]), (li) => {
				const from = li.querySelector('.from');
				return from ? from.textContent + ' ' + li.querySelector('.text').textContent : li.textContent;
			});""";

	private final ChromeDriver driver;

	private final String handle;

	Tab(ChromeDriver driver, String handle) {
		this.driver = driver;
		this.handle = handle;
	}

	/**
	 * Pick a nickname once connected, and wait until the page is in the lobby.
	 */
	Tab enter(String nickname) {
		awaitText("status", "Connected");
		type("nickname", nickname);
		click("nickname-submit");
		awaitText("room-title", "# lobby");
		await((driver) -> !driver.findElement(By.id("nickname-form")).isDisplayed(),
				() -> "the nickname form hidden once the nickname is accepted");
		return this;
	}

	Tab join(String room) {
		type("new-room", room);
		click("create-room");
		awaitText("room-title", "# " + room);
		return this;
	}

	Tab say(String text) {
		type("text", text);
		click("send");
		return this;
	}

	Tab whisper(String to, String text) {
		type("private-to", to);
		type("private-text", text);
		click("private-send");
		return this;
	}

	/**
	 * The lines of a room's message list, shown or not: "from: text" for a message, the
	 * text of a system line.
	 */
	List<String> lines(String room) {
		return strings(LINES, "ul.messages[data-room='" + room + "'] li");
	}

	/** The private messages: "from → to: text", then any note such as "not sent". */
	List<String> privateLines() {
		return strings("return Array.from(document.querySelectorAll(arguments[0]), (li) => li.textContent);",
				"#private-messages li");
	}

	/** The CSS classes of a room's lines, in order. */
	List<String> classes(String room) {
		return strings("return Array.from(document.querySelectorAll(arguments[0]), (li) => li.className);",
				"ul.messages[data-room='" + room + "'] li");
	}

	List<String> presence() {
		return strings("return Array.from(document.querySelectorAll(arguments[0]), (li) => li.textContent);",
				"#presence li");
	}

	@SuppressWarnings("unchecked")
	private List<String> strings(String script, String selector) {
		return (List<String>) switchTo().executeScript(script, selector);
	}

	String count(String room) {
		List<WebElement> counts = switchTo().findElements(By.cssSelector("#rooms li[data-room='" + room + "'] .count"));
		return counts.isEmpty() ? "" : counts.get(0).getText();
	}

	boolean isDisplayed(String id) {
		return switchTo().findElement(By.id(id)).isDisplayed();
	}

	String text(String id) {
		return switchTo().findElement(By.id(id)).getText();
	}

	Object script(String script) {
		return switchTo().executeScript(script);
	}

	void type(String id, String text) {
		WebElement input = switchTo().findElement(By.id(id));
		input.clear();
		input.sendKeys(text);
	}

	void click(String id) {
		switchTo().findElement(By.id(id)).click();
	}

	void click(By by) {
		switchTo().findElement(by).click();
	}

	void awaitText(String id, String text) {
		await((driver) -> driver.findElement(By.id(id)).getText().contains(text),
				() -> "#" + id + " to contain '" + text + "' but it was '" + text(id) + "'");
	}

	void awaitLine(String room, String line) {
		await((driver) -> lines(room).contains(line),
				() -> "a line '" + line + "' in " + room + ", not in " + lines(room));
	}

	<T> T await(Function<WebDriver, T> condition, Supplier<String> description) {
		switchTo();
		return new WebDriverWait(this.driver, TIMEOUT).withMessage(description).until(condition);
	}

	void close() {
		switchTo().close();
	}

	private ChromeDriver switchTo() {
		this.driver.switchTo().window(this.handle);
		return this.driver;
	}

}
