package dev.tutti.sample.chat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.tutti.Codec;
import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.tutti.sample.chat.ChatProtocol.awaitEntered;
import static dev.tutti.sample.chat.ChatProtocol.awaitMatching;
import static dev.tutti.sample.chat.ChatProtocol.count;
import static dev.tutti.sample.chat.ChatProtocol.hello;
import static dev.tutti.sample.chat.ChatProtocol.key;
import static dev.tutti.sample.chat.ChatProtocol.strings;
import static dev.tutti.sample.chat.ChatProtocol.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The chat's JSON protocol with real WebSocket clients: nicknames, rooms, presence,
 * history, typing, private messages, and the errors that bad input gets.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleChatProtocolIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Codec codec;

	@Test
	void badNicknamesGetAnErrorAndTheSessionStaysOpen() {
		try (TuttiTestClient client = connect()) {
			String key = key();
			for (String nickname : List.of("", "   ", "a\u0000b", "two  spaces", "x".repeat(33), "zero\u200Bwidth")) {
				client.sendJson(Map.of("type", "hello", "nickname", nickname, "key", key));
				assertThat(error(client)).as("error for %s", nickname).isNotBlank();
			}
			client.sendJson(Map.of("type", "hello", "nickname", "fine-" + suffix(), "key", "short"));
			assertThat(error(client)).contains("key");
			String nickname = "<img src=x onerror=alert(1)>";
			hello(client, nickname, key);
		}
	}

	@Test
	void aNicknameBelongsToOneBrowserWhileItIsConnected() {
		String nickname = "Alice" + suffix();
		String key = key();
		try (TuttiTestClient first = connect(); TuttiTestClient secondTab = connect()) {
			assertThat(hello(first, nickname, key).path("nickname").asString()).isEqualTo(nickname);
			assertThat(hello(secondTab, nickname.toLowerCase(), key).path("nickname").asString()).isEqualTo(nickname);
			try (TuttiTestClient other = connect()) {
				other.sendJson(Map.of("type", "hello", "nickname", nickname.toUpperCase(), "key", key()));
				assertThat(error(other)).contains("is taken");
			}
		}
		try (TuttiTestClient other = connect()) {
			await().untilAsserted(() -> {
				other.sendJson(Map.of("type", "hello", "nickname", nickname, "key", key()));
				JsonNode reply = other.awaitJson(JsonNode.class);
				assertThat(reply.path("type").asString()).isEqualTo("welcome");
			});
		}
	}

	@Test
	void roomNamesAndMessagesAreCheckedAndTheSessionStaysOpen() {
		try (TuttiTestClient client = connect()) {
			hello(client, "checker" + suffix(), key());
			client.sendJson(Map.of("type", "join", "room", "lobby"));
			awaitEntered(client, "lobby");
			for (String room : List.of("", "two words", "@private", "-dash", "r".repeat(31))) {
				client.sendJson(Map.of("type", "join", "room", room));
				assertThat(error(client)).as("error for room '%s'", room).isNotBlank();
			}
			String room = "checks-" + suffix();
			client.sendJson(Map.of("type", "say", "room", room, "text", "not joined"));
			assertThat(error(client)).contains("Join room");
			for (String text : List.of("", "  ", "x".repeat(1001), "bell\u0007")) {
				client.sendJson(Map.of("type", "say", "room", "lobby", "text", text));
				assertThat(error(client)).as("error for text '%s'", text).isNotBlank();
			}
			client.sendJson(Map.of("type", "say", "room", "lobby", "text", "x".repeat(1001), "ref", "too-long"));
			JsonNode refusal = client.awaitJson("error", JsonNode.class);
			assertThat(refusal.path("ref").asString()).isEqualTo("too-long");
			assertThat(refusal.path("message").asString()).contains("at most 1000");
			client.sendText("{not json");
			assertThat(error(client)).contains("Cannot decode message");
			client.sendJson(Map.of("type", "shout"));
			assertThat(error(client)).contains("unknown message type 'shout'");
			client.sendJson(Map.of("type", "say", "room", "Lobby", "text", "still here", "ref", "r1"));
			JsonNode line = client.awaitJson("message", JsonNode.class);
			assertThat(line.path("text").asString()).isEqualTo("still here");
			assertThat(line.path("ref").asString()).isEqualTo("r1");
			assertThat(line.path("room").asString()).isEqualTo("lobby");
		}
	}

	@Test
	void everyActionNeedsANicknameFirst() {
		try (TuttiTestClient client = connect()) {
			client.sendJson(Map.of("type", "join", "room", "lobby"));
			assertThat(error(client)).contains("nickname");
			client.sendJson(Map.of("type", "private", "to", "anyone", "text", "hi"));
			assertThat(error(client)).contains("nickname");
		}
	}

	@Test
	void joiningAndLeavingUpdatePresenceAndCounts() {
		String room = "presence-" + suffix();
		String alice = "alice" + suffix();
		String bob = "bob" + suffix();
		try (TuttiTestClient a = connect(); TuttiTestClient b = connect()) {
			hello(a, alice, key());
			hello(b, bob, key());
			a.sendJson(Map.of("type", "join", "room", room));
			JsonNode entered = a.awaitJson("entered", JsonNode.class);
			while (!entered.path("room").asString().equals(room)) {
				entered = a.awaitJson("entered", JsonNode.class);
			}
			assertThat(strings(entered.path("members"))).containsExactly(alice);

			b.sendJson(Map.of("type", "join", "room", room));
			awaitMatching(a, "joined", (joined) -> joined.path("nickname").asString().equals(bob));
			awaitMatching(a, "presence", (presence) -> strings(presence.path("members")).equals(List.of(alice, bob)));
			awaitMatching(a, "rooms", (rooms) -> count(rooms, room) == 2);

			b.sendJson(Map.of("type", "leave", "room", room));
			assertThat(b.awaitJson("exited", JsonNode.class).path("room").asString()).isEqualTo(room);
			awaitMatching(a, "left", (left) -> left.path("nickname").asString().equals(bob));
			awaitMatching(a, "presence", (presence) -> strings(presence.path("members")).equals(List.of(alice)));
			awaitMatching(a, "rooms", (rooms) -> count(rooms, room) == 1);

			b.sendJson(Map.of("type", "say", "room", room, "text", "gone"));
			assertThat(error(b)).contains("Join room");
		}
	}

	@Test
	void aNewMemberGetsTheLastFiftyMessagesOfTheRoom() {
		String room = "history-" + suffix();
		try (TuttiTestClient writer = connect()) {
			hello(writer, "writer" + suffix(), key());
			writer.sendJson(Map.of("type", "join", "room", room));
			awaitEntered(writer, room);
			for (int i = 1; i <= 55; i++) {
				writer.sendJson(Map.of("type", "say", "room", room, "text", "line " + i));
			}
			for (int i = 1; i <= 55; i++) {
				writer.awaitJson("message", JsonNode.class);
			}
			try (TuttiTestClient reader = connect()) {
				hello(reader, "reader" + suffix(), key());
				reader.sendJson(Map.of("type", "join", "room", room));
				List<String> history = new ArrayList<>();
				awaitEntered(reader, room).path("history").forEach((line) -> history.add(line.path("text").asString()));
				assertThat(history).hasSize(50).startsWith("line 6").endsWith("line 55");
			}
		}
	}

	@Test
	void typingReachesTheOtherMembersOfTheRoom() {
		String room = "typing-" + suffix();
		String alice = "alice" + suffix();
		try (TuttiTestClient a = connect(); TuttiTestClient b = connect()) {
			hello(a, alice, key());
			hello(b, "bob" + suffix(), key());
			a.sendJson(Map.of("type", "join", "room", room));
			awaitEntered(a, room);
			b.sendJson(Map.of("type", "join", "room", room));
			awaitEntered(b, room);
			a.sendJson(Map.of("type", "typing", "room", room));
			JsonNode typing = b.awaitJson("typing", JsonNode.class);
			assertThat(typing.path("nickname").asString()).isEqualTo(alice);
			assertThat(typing.path("room").asString()).isEqualTo(room);
		}
	}

	@Test
	void aPrivateMessageReachesEveryTabOfItsAddresseeAndTheSenderOnly() {
		String dora = "dora" + suffix();
		String doraKey = key();
		try (TuttiTestClient sender = connect();
				TuttiTestClient tab1 = connect();
				TuttiTestClient tab2 = connect();
				TuttiTestClient other = connect()) {
			hello(sender, "sender" + suffix(), key());
			hello(tab1, dora, doraKey);
			hello(tab2, dora, doraKey);
			hello(other, "other" + suffix(), key());
			for (TuttiTestClient client : List.of(sender, tab1, tab2, other)) {
				client.sendJson(Map.of("type", "join", "room", "lobby"));
				awaitEntered(client, "lobby");
			}

			sender.sendJson(Map.of("type", "private", "to", dora.toUpperCase(), "text", "psst", "ref", "p1"));
			for (TuttiTestClient client : List.of(sender, tab1, tab2)) {
				JsonNode line = client.awaitJson("private", JsonNode.class);
				assertThat(line.path("text").asString()).isEqualTo("psst");
				assertThat(line.path("to").asString()).isEqualTo(dora);
			}
			String marker = "after the private message " + suffix();
			sender.sendJson(Map.of("type", "say", "room", "lobby", "text", marker));
			assertThat(until(other, marker)).extracting((message) -> message.path("type").asString())
				.doesNotContain("private");

			sender.sendJson(Map.of("type", "private", "to", "nobody" + suffix(), "text", "hello?"));
			assertThat(error(sender)).contains("is connected");
		}
	}

	@Test
	void theHandshakeHookSeesTheSignedInUser() {
		String basic = Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));
		try (TuttiTestClient admin = TuttiTestClient.builder(uri())
			.header("Authorization", "Basic " + basic)
			.codec(this.codec)
			.connect()) {
			admin.sendJson(Map.of("type", "hello", "nickname", "boss" + suffix()));
			assertThat(admin.awaitJson("welcome", JsonNode.class).path("principal").asString()).isEqualTo("admin");
		}
		String wrong = Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(HandshakeRefusedException.class)
			.isThrownBy(() -> TuttiTestClient.builder(uri()).header("Authorization", "Basic " + wrong).connect())
			.extracting(HandshakeRefusedException::status)
			.isEqualTo(401);
	}

	private TuttiTestClient connect() {
		return TuttiTestClient.builder(uri()).codec(this.codec).connect();
	}

	private URI uri() {
		return URI.create("ws://localhost:" + this.port + "/ws");
	}

	private static String error(TuttiTestClient client) {
		return client.awaitJson("error", JsonNode.class).path("message").asString();
	}

	/**
	 * Take messages up to the room message with the given text.
	 */
	private static List<JsonNode> until(TuttiTestClient client, String text) {
		List<JsonNode> messages = new ArrayList<>();
		JsonNode message;
		do {
			message = client.awaitJson(JsonNode.class);
			messages.add(message);
		}
		while (!text.equals(message.path("text").asString()));
		return messages;
	}

}
