package dev.tutti.sample.chat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.tutti.Codec;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in a real headless Chromium, one browser for every test of the class, one
 * tab per user (the tabs of one browser share its key, so they may also act as two tabs
 * of one user).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleChatBrowserIntegrationTests {

	@RegisterExtension
	static final Browser browser = new Browser();

	@LocalServerPort
	private int port;

	@Autowired
	private Codec codec;

	@Test
	void twoUsersInARoomTalkBothWaysAndAnotherRoomHearsNothing() {
		String room = room();
		String other = room();
		String alice = nickname("alice");
		String bob = nickname("bob");
		String carol = nickname("carol");
		Tab a = open().enter(alice).join(room);
		Tab b = open().enter(bob).join(room);
		Tab c = open().enter(carol).join(other);

		a.say("hello bob");
		b.awaitLine(room, alice + ": hello bob");
		b.say("hi alice");
		a.awaitLine(room, bob + ": hi alice");
		a.awaitLine(room, alice + ": hello bob");
		assertThat(a.classes(room)).noneMatch((classes) -> classes.contains("pending") || classes.contains("unsent"));

		c.say("anyone?");
		c.awaitLine(other, carol + ": anyone?");
		a.say("last one");
		b.awaitLine(room, alice + ": last one");
		assertThat(c.lines(room)).isEmpty();
		assertThat(String.join("\n", c.lines("lobby"))).doesNotContain("hello bob", "hi alice", "last one");
		assertThat(String.join("\n", a.lines(room))).doesNotContain("anyone?");
	}

	@Test
	void historyArrivesOnJoining() {
		String room = room();
		String alice = nickname("alice");
		Tab a = open().enter(alice).join(room);
		a.say("first").say("second");
		a.awaitLine(room, alice + ": second");

		Tab b = open().enter(nickname("bob")).join(room);
		b.awaitLine(room, alice + ": second");
		assertThat(b.lines(room)).startsWith(alice + ": first", alice + ": second");
	}

	@Test
	void presenceAndCountsFollowJoinLeaveAndTabClose() {
		String room = room();
		String alice = nickname("alice");
		String bob = nickname("bob");
		Tab a = open().enter(alice).join(room);
		a.await((driver) -> a.count(room).equals("1"), () -> "count 1, was " + a.count(room));
		assertThat(a.presence()).containsExactly(alice);

		Tab b = open().enter(bob).join(room);
		a.awaitLine(room, bob + " joined");
		a.await((driver) -> a.presence().equals(List.of(alice, bob)), () -> "both present, were " + a.presence());
		a.await((driver) -> a.count(room).equals("2"), () -> "count 2, was " + a.count(room));

		b.click(By.cssSelector("#rooms li[data-room='" + room + "'] button.leave"));
		a.awaitLine(room, bob + " left");
		a.await((driver) -> a.presence().equals(List.of(alice)), () -> "alice alone, were " + a.presence());
		a.await((driver) -> a.count(room).equals("1"), () -> "count 1, was " + a.count(room));

		b.join(room);
		a.await((driver) -> a.count(room).equals("2"), () -> "count 2, was " + a.count(room));
		b.close();
		a.await((driver) -> a.presence().equals(List.of(alice)), () -> "alice alone, were " + a.presence());
		a.await((driver) -> a.count(room).equals("1"), () -> "count 1, was " + a.count(room));
		assertThat(a.lines(room)).endsWith(bob + " left");
	}

	@Test
	void aPrivateMessageReachesEveryTabOfItsAddresseeAndNobodyElse() {
		String dora = nickname("dora");
		String sender = nickname("sam");
		Tab dora1 = open().enter(dora);
		Tab dora2 = open().enter(dora);
		Tab bystander = open().enter(nickname("bea"));
		Tab from = open().enter(sender);

		from.whisper(dora, "just for you");
		String line = sender + " → " + dora + ": just for you";
		for (Tab tab : List.of(dora1, dora2, from)) {
			tab.await((driver) -> tab.privateLines().contains(line), () -> "private line in " + tab.privateLines());
		}
		from.say("public marker");
		bystander.awaitLine("lobby", sender + ": public marker");
		assertThat(bystander.privateLines()).isEmpty();
		assertThat(String.join("\n", bystander.lines("lobby"))).doesNotContain("just for you");

		from.whisper("nobody-" + sender, "anyone there?");
		from.await(
				(driver) -> from.privateLines()
					.stream()
					.anyMatch((text) -> text.contains("anyone there?")
							&& text.contains("not sent: No user 'nobody-" + sender + "' is connected")),
				() -> "the refused message marked in " + from.privateLines());
	}

	@Test
	void nicknamesAndMessagesThatLookLikeHtmlAreShownAsText() {
		String nickname = "<img src=x onerror=xss=1>";
		String text = "<script>xss=2</script><img src=x onerror=xss=3>";
		Tab evil = open().enter(nickname);
		Tab reader = open().enter(nickname("reader"));
		evil.say(text);
		reader.awaitLine("lobby", nickname + ": " + text);
		evil.awaitLine("lobby", nickname + ": " + text);
		reader.await((driver) -> reader.presence().contains(nickname), () -> "presence " + reader.presence());
		for (Tab tab : List.of(evil, reader)) {
			assertThat(tab.script("return typeof xss")).isEqualTo("undefined");
			assertThat(tab.script("return document.querySelectorAll('#chat img, #chat script').length")).isEqualTo(0L);
		}
		assertThat(evil.text("whoami")).isEqualTo("You are " + nickname);
	}

	@Test
	void badInputShowsAnErrorAndTheConnectionStays() {
		Tab tab = open();
		tab.awaitText("status", "Connected");
		assertThat(tab.isDisplayed("chat")).as("the chat before a nickname is accepted").isFalse();
		tab.type("nickname", "two  spaces");
		tab.click("nickname-submit");
		tab.awaitText("errors", "single spaces");
		String nickname = nickname("fixed");
		tab.enter(nickname);
		tab.type("new-room", "no way!");
		tab.click("create-room");
		tab.awaitText("errors", "room name");
		tab.say("still connected");
		tab.awaitLine("lobby", nickname + ": still connected");
		assertThat(tab.text("status")).isEqualTo("Connected");
	}

	@Test
	void aSignedInUserIsShownWithTheirPrincipal() {
		Tab tab = browser.open("http://localhost:" + this.port + "/login");
		try {
			tab.type("username", "admin");
			tab.type("password", "test-admin-password");
			tab.click(By.cssSelector("button[type=submit]"));
			String nickname = nickname("boss");
			tab.enter(nickname);
			assertThat(tab.text("whoami")).isEqualTo("You are " + nickname + " (signed in as admin)");
			assertThat(tab.isDisplayed("sign-in")).isFalse();
		}
		finally {
			browser.signOut();
		}
	}

	@Test
	void typingIsShownToTheOthersInTheRoom() {
		String room = room();
		String alice = nickname("alice");
		Tab a = open().enter(alice).join(room);
		Tab b = open().enter(nickname("bob")).join(room);
		a.type("text", "I am typ");
		b.awaitText("typing", alice + " is typing");
	}

	@Test
	void thePageReconnectsAfterARestartRejoinsItsRoomsAndKeepsUnsentMessages() {
		ConfigurableApplicationContext app = start(0);
		int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		String room = room();
		String alice = nickname("alice");
		String bob = nickname("bob");
		Tab a = browser.open("http://localhost:" + port + "/").enter(alice).join(room);
		Tab b = browser.open("http://localhost:" + port + "/").enter(bob).join(room);

		app.close();
		a.awaitText("status", "Disconnected");
		a.say("typed while away");
		a.await((driver) -> a.classes(room).get(a.classes(room).size() - 1).contains("unsent"),
				() -> "the last line marked unsent: " + a.classes(room));
		assertThat(a.lines(room)).last().asString().startsWith(alice + ": typed while away");

		app = start(port);
		try {
			a.awaitText("status", "rejoined lobby, " + room);
			b.awaitText("status", "rejoined lobby, " + room);
			a.awaitLine(room, "Reconnected; rejoined lobby, " + room);

			a.say("back again");
			b.awaitLine(room, alice + ": back again");
			a.click(By.cssSelector("ul.messages[data-room='" + room + "'] li.unsent button.retry"));
			b.awaitLine(room, alice + ": typed while away");
			a.await((driver) -> a.classes(room).stream().noneMatch((classes) -> classes.contains("unsent")),
					() -> "no line unsent: " + a.classes(room));
		}
		finally {
			app.close();
		}
	}

	@Test
	void twoInstancesWithOneTabOnEachShareMessagesAndPresence() {
		try (ChatCluster cluster = ChatCluster.start()) {
			String room = room();
			String alice = nickname("alice");
			String bob = nickname("bob");
			Tab a = browser.open(cluster.page(0)).enter(alice).join(room);
			Tab b = browser.open(cluster.page(1)).enter(bob).join(room);

			a.awaitLine(room, bob + " joined");
			a.await((driver) -> a.presence().equals(List.of(alice, bob)), () -> "both present, were " + a.presence());
			a.await((driver) -> a.count(room).equals("2"), () -> "count 2, was " + a.count(room));
			b.await((driver) -> b.presence().equals(List.of(alice, bob)), () -> "both present, were " + b.presence());

			a.say("hello from the first instance");
			b.awaitLine(room, alice + ": hello from the first instance");
			b.say("hello from the second");
			a.awaitLine(room, bob + ": hello from the second");

			b.click(By.cssSelector("#rooms li[data-room='" + room + "'] button.leave"));
			a.awaitLine(room, bob + " left");
			a.await((driver) -> a.presence().equals(List.of(alice)), () -> "alice alone, were " + a.presence());
			a.await((driver) -> a.count(room).equals("1"), () -> "count 1, was " + a.count(room));
		}
	}

	@Test
	void theOperationsPageShowsSessionsAndAMovingMessageRate() throws Exception {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
		try (TuttiTestClient talker = TuttiTestClient.builder(uri).codec(this.codec).connect();
				TuttiTestClient listener = TuttiTestClient.builder(uri).codec(this.codec).connect()) {
			for (TuttiTestClient client : List.of(talker, listener)) {
				client.sendJson(
						Map.of("type", "hello", "nickname", nickname("ops"), "key", UUID.randomUUID().toString()));
				client.awaitJson("welcome", JsonNode.class);
				client.sendJson(Map.of("type", "join", "room", "lobby"));
				client.awaitJson("entered", JsonNode.class);
			}
			traffic.scheduleAtFixedRate(() -> talker.sendJson(Map.of("type", "say", "room", "lobby", "text", "tick")),
					0, 50, TimeUnit.MILLISECONDS);

			Tab ops = browser.open("http://localhost:" + this.port + "/ops.html");
			ops.await((driver) -> number(ops.text("sessions-value")) >= 2,
					() -> "sessions " + ops.text("sessions-value"));
			ops.await((driver) -> number(ops.text("received-rate")) > 0, () -> "rate in " + ops.text("received-rate"));
			String samples = samples(ops);
			ops.await((driver) -> !samples(ops).equals(samples) && number(ops.text("received-rate")) > 0,
					() -> "another sample after " + samples + " with a rate above 0: " + ops.text("received-rate"));
			assertThat(number(ops.text("sent-rate"))).isGreaterThan(0);
			assertThat(ops.text("status")).startsWith("Updated");
		}
		finally {
			traffic.shutdownNow();
			traffic.awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private Tab open() {
		return browser.open("http://localhost:" + this.port + "/");
	}

	private static ConfigurableApplicationContext start(int port) {
		return new SpringApplicationBuilder(SampleChatApplication.class).run("--server.port=" + port);
	}

	private static String samples(Tab ops) {
		return String.valueOf(ops.script("return document.getElementById('messages-chart').dataset.samples"));
	}

	private static double number(String text) {
		try {
			return Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static String room() {
		return "room-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static String nickname(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 4);
	}

}
