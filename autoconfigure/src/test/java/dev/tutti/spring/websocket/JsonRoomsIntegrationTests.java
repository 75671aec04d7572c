package dev.tutti.spring.websocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.Hub;
import dev.tutti.MessageDecodingException;
import dev.tutti.Target;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rooms and typed JSON messages over real WebSockets: clients join rooms and chat with
 * JSON messages that the hub decodes with the application's {@code JsonMapper} and
 * broadcasts to the room.
 */
@SpringBootTest(classes = JsonRoomsIntegrationTests.ChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "tutti.json.error-reply=true")
class JsonRoomsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Hub hub;

	@Autowired
	ErrorLog errorLog;

	private final List<TestClient> clients = new CopyOnWriteArrayList<>();

	@BeforeEach
	void clearErrors() {
		this.errorLog.errors().clear();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(TestClient::closeQuietly);
		await().until(() -> this.hub.size() == 0);
	}

	@Test
	void roomMessagesReachOnlyTheRoomsOtherMembers() throws Exception {
		TestClient alice = join("lobby");
		TestClient bob = join("lobby");
		TestClient carol = join("kitchen");

		alice.send("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hi all\"}");

		assertThat(bob.receive()).isEqualTo("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hi all\"}");
		this.hub.broadcastJson(Target.all(), Map.of("type", "fence"));
		assertThat(alice.receive()).isEqualTo("{\"type\":\"fence\"}");
		assertThat(carol.receive()).isEqualTo("{\"type\":\"fence\"}");
		assertThat(bob.receive()).isEqualTo("{\"type\":\"fence\"}");
	}

	@Test
	void disconnectedClientsLeaveTheirRooms() throws Exception {
		TestClient alice = join("lobby");
		join("lobby");
		assertThat(this.hub.rooms()).containsEntry("lobby", 2);

		alice.close(1000, "");
		alice.awaitClose();

		await().until(() -> this.hub.room("lobby").size() == 1);
		assertThat(this.hub.rooms()).containsExactly(Map.entry("lobby", 1));
	}

	@Test
	void malformedJsonGetsAnErrorReplyAndTheSessionStaysOpen() throws Exception {
		TestClient client = join("lobby");

		client.send("{\"type\":\"chat\",");

		assertThat(client.receive()).startsWith("{\"").contains("\"type\":\"error\"").contains("malformed message");
		await().until(() -> !this.errorLog.errors().isEmpty());
		assertThat(this.errorLog.errors().get(0)).isInstanceOf(MessageDecodingException.class);
		TestClient other = join("lobby");
		client.send("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"after\"}");
		assertThat(other.receive()).contains("after");
	}

	@Test
	void unknownTypeGetsAnErrorReply() throws Exception {
		TestClient client = join("lobby");

		client.send("{\"type\":\"dance\"}");

		assertThat(client.receive()).contains("unknown message type 'dance'");
	}

	private TestClient join(String room) throws Exception {
		TestClient client = TestClient.connect(this.port, "/ws");
		this.clients.add(client);
		client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		assertThat(client.receive()).isEqualTo("{\"type\":\"joined\",\"room\":\"" + room + "\"}");
		return client;
	}

	record Join(String type, String room) {
	}

	record ErrorLog(List<Throwable> errors) {
	}

	record Chat(String type, String room, String text) {
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ChatApplication {

		@Bean
		ErrorLog errorLog() {
			return new ErrorLog(new CopyOnWriteArrayList<>());
		}

		@Bean
		TuttiHubCustomizer chat(ErrorLog errorLog) {
			return (hub) -> hub.onError((session, error) -> errorLog.errors().add(error))
				.onMessage("join", Join.class, (session, join) -> {
					session.join(join.room());
					session.writeJson(new Join("joined", join.room()));
				})
				.onMessage("chat", Chat.class,
						(session, chat) -> hub.broadcastJson(Target.room(chat.room()).except(session.id()), chat));
		}

	}

}
