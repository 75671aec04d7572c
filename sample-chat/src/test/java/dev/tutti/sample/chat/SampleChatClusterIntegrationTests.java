package dev.tutti.sample.chat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tutti.Codec;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static dev.tutti.sample.chat.ChatProtocol.awaitEntered;
import static dev.tutti.sample.chat.ChatProtocol.awaitMatching;
import static dev.tutti.sample.chat.ChatProtocol.count;
import static dev.tutti.sample.chat.ChatProtocol.hello;
import static dev.tutti.sample.chat.ChatProtocol.join;
import static dev.tutti.sample.chat.ChatProtocol.key;
import static dev.tutti.sample.chat.ChatProtocol.strings;
import static dev.tutti.sample.chat.ChatProtocol.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the chat behind one Redis, with real WebSocket clients on each:
 * messages, private messages, nicknames, presence, counts and history are the same
 * whichever instance a page is connected to.
 */
class SampleChatClusterIntegrationTests {

	private static ChatCluster cluster;

	@BeforeAll
	static void start() {
		cluster = ChatCluster.start();
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void aMessageOnOneInstanceReachesTheRoomOnTheOtherAndHistoryIsShared() {
		String room = "cluster-" + suffix();
		String alice = "alice" + suffix();
		String bob = "bob" + suffix();
		try (TuttiTestClient a = cluster.connect(0); TuttiTestClient b = cluster.connect(1)) {
			hello(a, alice, key());
			hello(b, bob, key());
			join(a, room);
			join(b, room);
			a.sendJson(Map.of("type", "say", "room", room, "text", "from the first", "ref", "a1"));
			assertThat(awaitMatching(b, "message", (line) -> line.path("room").asString().equals(room)).path("text")
				.asString()).isEqualTo("from the first");
			b.sendJson(Map.of("type", "say", "room", room, "text", "from the second"));
			assertThat(awaitMatching(a, "message", (line) -> line.path("text").asString().equals("from the second"))
				.path("from")
				.asString()).isEqualTo(bob);
			a.sendJson(Map.of("type", "typing", "room", room));
			assertThat(b.awaitJson("typing", JsonNode.class).path("nickname").asString()).isEqualTo(alice);

			try (TuttiTestClient c = cluster.connect(1)) {
				hello(c, "carol" + suffix(), key());
				c.sendJson(Map.of("type", "join", "room", room));
				List<String> history = new ArrayList<>();
				awaitEntered(c, room).path("history").forEach((line) -> history.add(line.path("text").asString()));
				assertThat(history).containsExactly("from the first", "from the second");
			}
		}
	}

	@Test
	void aPrivateMessageReachesEveryTabOfItsAddresseeOnEveryInstance() {
		String dora = "dora" + suffix();
		String doraKey = key();
		try (TuttiTestClient sender = cluster.connect(0);
				TuttiTestClient tab1 = cluster.connect(0);
				TuttiTestClient tab2 = cluster.connect(1);
				TuttiTestClient other = cluster.connect(1)) {
			hello(sender, "sender" + suffix(), key());
			hello(tab1, dora, doraKey);
			hello(tab2, dora.toUpperCase(), doraKey);
			hello(other, "other" + suffix(), key());
			join(other, "lobby");
			join(sender, "lobby");

			sender.sendJson(Map.of("type", "private", "to", dora.toUpperCase(), "text", "psst", "ref", "p1"));
			for (TuttiTestClient client : List.of(sender, tab1, tab2)) {
				JsonNode line = client.awaitJson("private", JsonNode.class);
				assertThat(line.path("text").asString()).isEqualTo("psst");
				assertThat(line.path("to").asString()).isEqualTo(dora);
			}
			String marker = "after the private message " + suffix();
			sender.sendJson(Map.of("type", "say", "room", "lobby", "text", marker));
			List<JsonNode> seen = new ArrayList<>();
			awaitMatching(other, null,
					(message) -> seen.add(message) && marker.equals(message.path("text").asString()));
			assertThat(seen).extracting((message) -> message.path("type").asString()).doesNotContain("private");

			other.sendJson(Map.of("type", "private", "to", "sender-on-the-first-instance", "text", "nobody"));
			assertThat(other.awaitJson("error", JsonNode.class).path("message").asString()).contains("is connected");
		}
	}

	@Test
	void aPrivateMessageReachesAUserConnectedOnlyToTheOtherInstance() {
		String frank = "frank" + suffix();
		try (TuttiTestClient sender = cluster.connect(0); TuttiTestClient addressee = cluster.connect(1)) {
			hello(sender, "sender" + suffix(), key());
			hello(addressee, frank, key());
			sender.sendJson(Map.of("type", "private", "to", frank, "text", "across", "ref", "x1"));
			assertThat(addressee.awaitJson("private", JsonNode.class).path("text").asString()).isEqualTo("across");
			JsonNode echo = sender.awaitJson("private", JsonNode.class);
			assertThat(echo.path("to").asString()).isEqualTo(frank);
			assertThat(echo.path("ref").asString()).isEqualTo("x1");
		}
	}

	@Test
	void aNicknameIsUniqueAcrossInstancesAndFreeOnceItsLastTabCloses() {
		String nickname = "Erin" + suffix();
		String key = key();
		try (TuttiTestClient first = cluster.connect(0); TuttiTestClient secondTab = cluster.connect(1)) {
			hello(first, nickname, key);
			assertThat(hello(secondTab, nickname.toLowerCase(), key).path("nickname").asString()).isEqualTo(nickname);
			try (TuttiTestClient other = cluster.connect(1)) {
				other.sendJson(Map.of("type", "hello", "nickname", nickname.toUpperCase(), "key", key()));
				assertThat(other.awaitJson("error", JsonNode.class).path("message").asString()).contains("is taken");
			}
			first.close();
			try (TuttiTestClient other = cluster.connect(0)) {
				other.sendJson(Map.of("type", "hello", "nickname", nickname, "key", key()));
				assertThat(other.awaitJson("error", JsonNode.class).path("message").asString())
					.as("still held by the tab on the other instance")
					.contains("is taken");
			}
		}
		try (TuttiTestClient other = cluster.connect(0)) {
			await().untilAsserted(() -> {
				other.sendJson(Map.of("type", "hello", "nickname", nickname, "key", key()));
				assertThat(other.awaitJson(JsonNode.class).path("type").asString()).isEqualTo("welcome");
			});
		}
	}

	@Test
	void presenceAndCountsCrossInstances() {
		String room = "presence-" + suffix();
		String alice = "alice" + suffix();
		String bob = "bob" + suffix();
		String bobKey = key();
		try (TuttiTestClient a = cluster.connect(0); TuttiTestClient b = cluster.connect(1)) {
			hello(a, alice, key());
			hello(b, bob, bobKey);
			assertThat(strings(join(a, room).path("members"))).containsExactly(alice);

			JsonNode entered = join(b, room);
			assertThat(strings(entered.path("members"))).containsExactly(alice, bob);
			awaitMatching(a, "joined", (joined) -> joined.path("nickname").asString().equals(bob));
			awaitMatching(a, "presence", (presence) -> strings(presence.path("members")).equals(List.of(alice, bob)));
			awaitMatching(a, "rooms", (rooms) -> count(rooms, room) == 2);

			try (TuttiTestClient bobsSecondTab = cluster.connect(0)) {
				hello(bobsSecondTab, bob, bobKey);
				join(bobsSecondTab, room);
				bobsSecondTab.sendJson(Map.of("type", "leave", "room", room));
				bobsSecondTab.awaitJson("exited", JsonNode.class);
			}
			String marker = "bob is still here " + suffix();
			b.sendJson(Map.of("type", "say", "room", room, "text", marker));
			List<JsonNode> seen = new ArrayList<>();
			awaitMatching(a, null, (message) -> seen.add(message) && marker.equals(message.path("text").asString()));
			assertThat(seen).as("bob's other tab left, bob did not")
				.extracting((message) -> message.path("type").asString())
				.doesNotContain("left");
			b.close();
			awaitMatching(a, "left", (left) -> left.path("nickname").asString().equals(bob));
			awaitMatching(a, "presence", (presence) -> strings(presence.path("members")).equals(List.of(alice)));
			awaitMatching(a, "rooms", (rooms) -> count(rooms, room) == 1);
		}
	}

	@Test
	void anInstanceThatStopsReleasesTheNicknamesAndPresenceOfItsSessions() {
		String room = "stopping-" + suffix();
		String gina = "gina" + suffix();
		try (TuttiTestClient watcher = cluster.connect(0)) {
			String watcherName = "watcher" + suffix();
			hello(watcher, watcherName, key());
			join(watcher, room);
			ConfigurableApplicationContext third = cluster.startAnother();
			int port = third.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			try (TuttiTestClient client = TuttiTestClient.builder(URI.create("ws://localhost:" + port + "/ws"))
				.codec(third.getBean(Codec.class))
				.connect()) {
				hello(client, gina, key());
				join(client, room);
				awaitMatching(watcher, "rooms", (rooms) -> count(rooms, room) == 2);
				third.close();
			}
			finally {
				third.close();
			}
			// at once, well within the claims' time to live (15s): released, not expired
			try (TuttiTestClient newGina = cluster.connect(1); TuttiTestClient hank = cluster.connect(1)) {
				hello(newGina, gina, key());
				String hankName = "hank" + suffix();
				hello(hank, hankName, key());
				assertThat(strings(join(hank, room).path("members"))).containsExactlyInAnyOrder(hankName, watcherName);
			}
		}
	}

}
