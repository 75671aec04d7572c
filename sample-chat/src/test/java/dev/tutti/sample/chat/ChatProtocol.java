package dev.tutti.sample.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import dev.tutti.test.TuttiTestClient;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The chat protocol as the protocol-level tests speak it: say hello, join, and wait for
 * the messages that matter.
 */
final class ChatProtocol {

	private ChatProtocol() {
	}

	static JsonNode hello(TuttiTestClient client, String nickname, String key) {
		client.sendJson(Map.of("type", "hello", "nickname", nickname, "key", key));
		return client.awaitJson("welcome", JsonNode.class);
	}

	static JsonNode join(TuttiTestClient client, String room) {
		client.sendJson(Map.of("type", "join", "room", room));
		return awaitEntered(client, room);
	}

	static JsonNode awaitEntered(TuttiTestClient client, String room) {
		return awaitMatching(client, "entered", (entered) -> entered.path("room").asString().equals(room));
	}

	/**
	 * Take messages (of a type, if given) until one matches, failing when none does in
	 * time.
	 */
	static JsonNode awaitMatching(TuttiTestClient client, @Nullable String type, Predicate<JsonNode> condition) {
		JsonNode message;
		do {
			message = (type != null) ? client.awaitJson(type, JsonNode.class) : client.awaitJson(JsonNode.class);
		}
		while (!condition.test(message));
		return message;
	}

	static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

	/**
	 * Return the member count of a room in a {@code rooms} message, 0 if it is not
	 * listed.
	 */
	static int count(JsonNode rooms, String room) {
		for (JsonNode entry : rooms.path("rooms")) {
			if (entry.path("name").asString().equals(room)) {
				return entry.path("members").asInt();
			}
		}
		return 0;
	}

	/**
	 * Return a new browser key, as a page keeps in its local storage.
	 */
	static String key() {
		return UUID.randomUUID().toString();
	}

	/**
	 * Return a short random suffix for unique nicknames and room names.
	 */
	static String suffix() {
		return UUID.randomUUID().toString().substring(0, 6);
	}

}
