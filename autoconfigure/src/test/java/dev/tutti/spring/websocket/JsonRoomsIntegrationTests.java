package dev.tutti.spring.websocket;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.Hub;
import dev.tutti.MessageDecodingException;
import dev.tutti.Target;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;
import dev.tutti.test.TuttiTestClient;
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

	private final List<TuttiTestClient> clients = new CopyOnWriteArrayList<>();

	@BeforeEach
	void clearErrors() {
		this.errorLog.errors().clear();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(TuttiTestClient::close);
		await().until(() -> this.hub.size() == 0);
	}

	@Test
	void roomMessagesReachOnlyTheRoomsOtherMembers() {
		TuttiTestClient alice = join("lobby");
		TuttiTestClient bob = join("lobby");
		TuttiTestClient carol = join("kitchen");

		alice.sendText("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hi all\"}");

		assertThat(bob.awaitText()).isEqualTo("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hi all\"}");
		this.hub.broadcastJson(Target.all(), Map.of("type", "fence"));
		assertThat(alice.awaitText()).isEqualTo("{\"type\":\"fence\"}");
		assertThat(carol.awaitText()).isEqualTo("{\"type\":\"fence\"}");
		assertThat(bob.awaitText()).isEqualTo("{\"type\":\"fence\"}");
	}

	@Test
	void disconnectedClientsLeaveTheirRooms() {
		TuttiTestClient alice = join("lobby");
		join("lobby");
		assertThat(this.hub.rooms()).containsEntry("lobby", 2);

		alice.close(1000, "");
		alice.awaitClose();

		await().until(() -> this.hub.room("lobby").size() == 1);
		assertThat(this.hub.rooms()).containsExactly(Map.entry("lobby", 1));
	}

	@Test
	void malformedJsonGetsAnErrorReplyAndTheSessionStaysOpen() {
		TuttiTestClient client = join("lobby");

		client.sendText("{\"type\":\"chat\",");

		assertThat(client.awaitText()).startsWith("{\"").contains("\"type\":\"error\"").contains("malformed message");
		await().until(() -> !this.errorLog.errors().isEmpty());
		assertThat(this.errorLog.errors().get(0)).isInstanceOf(MessageDecodingException.class);
		TuttiTestClient other = join("lobby");
		client.sendText("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"after\"}");
		assertThat(other.awaitText()).contains("after");
	}

	@Test
	void unknownTypeGetsAnErrorReply() {
		TuttiTestClient client = join("lobby");

		client.sendText("{\"type\":\"dance\"}");

		assertThat(client.awaitText()).contains("unknown message type 'dance'");
	}

	private TuttiTestClient join(String room) {
		TuttiTestClient client = TuttiTestClient.connect(URI.create("ws://localhost:" + this.port + "/ws"));
		this.clients.add(client);
		client.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		assertThat(client.awaitText()).isEqualTo("{\"type\":\"joined\",\"room\":\"" + room + "\"}");
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
