package dev.tutti.spring.actuate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.tutti.CloseStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code tutti} endpoint over HTTP, with real WebSocket clients.
 */
class TuttiEndpointIntegrationTests extends AbstractActuatorIntegrationTests {

	@Test
	void listsEveryHubWithItsSessionsAndRooms() {
		Client alice = connect("lobby");
		Client bob = connect();
		Response response = get("/actuator/tutti");
		assertThat(response.status()).isEqualTo(200);
		JsonNode hubs = response.body().path("hubs");
		assertThat(hubs.has("feed")).isTrue();
		assertThat(hubs.path("feed").path("sessions").asInt()).isZero();
		JsonNode hub = hubs.path("tutti");
		assertThat(hub.path("name").asString()).isEqualTo("tutti");
		assertThat(hub.path("state").asString()).isEqualTo("open");
		assertThat(hub.path("settings").path("writeTimeout").asString()).isEqualTo("PT10S");
		assertThat(hub.path("settings").path("outboundBufferSize").asInt()).isEqualTo(256);
		assertThat(hub.path("settings").path("overflowPolicy").asString()).isEqualTo("DROP_NEWEST");
		assertThat(hub.path("sessions").asInt()).isEqualTo(2);
		assertThat(hub.path("rooms").path("lobby").asInt()).isEqualTo(1);
		JsonNode bySilence = hub.path("topSessions").path("bySilence");
		assertThat(bySilence.size()).isEqualTo(2);
		assertThat(bySilence.valueStream().map((session) -> session.path("id").asString()))
			.containsExactlyInAnyOrder(alice.id(), bob.id());
		assertThat(bySilence.get(0).path("remoteAddress").asString())
			.matches("(127\\.0\\.0\\.1|\\[0:0:0:0:0:0:0:1\\]):[0-9]+");
		assertThat(hub.path("topSessions").path("byQueuedMessages").isArray()).isTrue();
		assertThat(hub.path("topSessions").path("byDroppedMessages").isArray()).isTrue();
	}

	@Test
	void showsOneHub() {
		connect();
		Response response = get("/actuator/tutti/tutti");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().path("sessions").asInt()).isEqualTo(1);
	}

	@Test
	void showsOneSession() {
		Client alice = connect("lobby", "games");
		Response response = get("/actuator/tutti/tutti/sessions/" + alice.id());
		assertThat(response.status()).isEqualTo(200);
		JsonNode session = response.body();
		assertThat(session.path("id").asString()).isEqualTo(alice.id());
		assertThat(session.path("rooms").valueStream().map(JsonNode::asString)).containsExactly("games", "lobby");
		assertThat(session.path("connected").asBoolean()).isTrue();
		assertThat(session.path("queuedMessages").asInt()).isZero();
		assertThat(session.path("droppedMessages").asLong()).isZero();
		assertThat(session.path("openedAt").asString()).isNotEmpty();
		assertThat(session.path("age").asString()).startsWith("PT");
		assertThat(session.path("silence").asString()).startsWith("PT");
	}

	@Test
	void broadcastsToAHub() {
		Client alice = connect();
		Client bob = connect();
		Response response = post("/actuator/tutti/tutti", "{\"text\":\"hello\"}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().path("recipients").asInt()).isEqualTo(2);
		assertThat(response.body().path("dropped").asInt()).isZero();
		assertThat(alice.client().awaitText()).isEqualTo("hello");
		assertThat(bob.client().awaitText()).isEqualTo("hello");
	}

	@Test
	void broadcastsToARoom() {
		Client member = connect("lobby");
		Client outsider = connect();
		Response response = post("/actuator/tutti/tutti/rooms/lobby", "{\"text\":\"hello lobby\"}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().path("recipients").asInt()).isEqualTo(1);
		this.hub.broadcast("fence");
		assertThat(member.client().awaitText()).isEqualTo("hello lobby");
		assertThat(member.client().awaitText()).isEqualTo("fence");
		assertThat(outsider.client().awaitText()).isEqualTo("fence");
	}

	@Test
	void closesASessionWithACodeAndReason() {
		Client alice = connect();
		Response response = delete("/actuator/tutti/tutti/sessions/" + alice.id() + "?code=4000&reason="
				+ URLEncoder.encode("kicked out", StandardCharsets.UTF_8));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().path("id").asString()).isEqualTo(alice.id());
		assertThat(alice.client().awaitClose()).isEqualTo(new CloseStatus(4000, "kicked out"));
	}

	@Test
	void closesASessionNormallyByDefault() {
		Client alice = connect();
		assertThat(delete("/actuator/tutti/tutti/sessions/" + alice.id()).status()).isEqualTo(200);
		assertThat(alice.client().awaitClose()).isEqualTo(CloseStatus.NORMAL);
	}

	@Test
	void answersNotFoundForAnUnknownHubOrSession() {
		Client alice = connect();
		assertThat(get("/actuator/tutti/nope").status()).isEqualTo(404);
		assertThat(get("/actuator/tutti/tutti/sessions/nope").status()).isEqualTo(404);
		assertThat(get("/actuator/tutti/nope/sessions/" + alice.id()).status()).isEqualTo(404);
		assertThat(get("/actuator/tutti/tutti/other/" + alice.id()).status()).isEqualTo(404);
		assertThat(post("/actuator/tutti/nope", "{\"text\":\"hello\"}").status()).isEqualTo(404);
		assertThat(post("/actuator/tutti/nope/rooms/lobby", "{\"text\":\"hello\"}").status()).isEqualTo(404);
		assertThat(post("/actuator/tutti/tutti/other/lobby", "{\"text\":\"hello\"}").status()).isEqualTo(404);
		assertThat(delete("/actuator/tutti/tutti/sessions/nope").status()).isEqualTo(404);
		assertThat(delete("/actuator/tutti/nope/sessions/" + alice.id()).status()).isEqualTo(404);
		assertThat(this.hub.size()).isOne();
	}

	@Test
	void answersBadRequestForInvalidInput() {
		Client alice = connect();
		String session = "/actuator/tutti/tutti/sessions/" + alice.id();
		assertThat(delete(session + "?code=999").status()).isEqualTo(400);
		assertThat(delete(session + "?code=1005").status()).isEqualTo(400);
		assertThat(delete(session + "?code=abc").status()).isEqualTo(400);
		assertThat(delete(session + "?code=4000&reason=" + "x".repeat(124)).status()).isEqualTo(400);
		assertThat(post("/actuator/tutti/tutti", "{}").status()).isEqualTo(400);
		assertThat(post("/actuator/tutti/tutti/rooms/lobby", "{}").status()).isEqualTo(400);
		assertThat(this.hub.size()).isOne();
		assertThat(alice.client().isOpen()).isTrue();
	}

}
