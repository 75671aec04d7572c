package dev.tutti.spring.websocket;

import java.util.ArrayList;
import java.util.List;

import dev.tutti.BroadcastResult;
import dev.tutti.Session;
import dev.tutti.Target;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broadcasts to ten listening clients: to all, binary, by filter, to others and to a
 * collection. A client that must not receive a message proves it by receiving the next
 * broadcast to all first, since a session's messages arrive in order.
 */
class BroadcastIntegrationTests extends AbstractIntegrationTests {

	private static final int CLIENTS = 10;

	private final List<TuttiTestClient> clients = new ArrayList<>();

	private final List<Session> sessions = new ArrayList<>();

	@BeforeEach
	void connectClients() {
		for (int i = 0; i < CLIENTS; i++) {
			TuttiTestClient client = connect("/ws?group=" + ((i % 2 == 0) ? "even" : "odd"));
			this.clients.add(client);
			this.sessions.add(this.events.session(client));
		}
		await().until(() -> this.hub.size() == CLIENTS);
	}

	@Test
	void broadcastReachesEveryClient() {
		assertThat(this.hub.broadcast("to all")).isEqualTo(new BroadcastResult(CLIENTS, 0));
		for (TuttiTestClient client : this.clients) {
			assertThat(client.awaitText()).isEqualTo("to all");
		}
	}

	@Test
	void binaryBroadcastReachesEveryClient() {
		assertThat(this.hub.broadcastBinary(Target.all(), new byte[] { 1, 2, 3 }))
			.isEqualTo(new BroadcastResult(CLIENTS, 0));
		for (TuttiTestClient client : this.clients) {
			assertThat(client.awaitBinary()).containsExactly(1, 2, 3);
		}
	}

	@Test
	void filteredBroadcastReachesOnlyAcceptedClients() {
		BroadcastResult result = this.hub
			.broadcastLocal((session) -> List.of("even").equals(session.queryParameters().get("group")), "to even");
		assertThat(result.recipients()).isEqualTo(CLIENTS / 2);
		this.hub.broadcast("fence");
		for (int i = 0; i < CLIENTS; i++) {
			if (i % 2 == 0) {
				assertThat(this.clients.get(i).awaitText()).isEqualTo("to even");
			}
			assertThat(this.clients.get(i).awaitText()).isEqualTo("fence");
		}
	}

	@Test
	void filteredBinaryBroadcastReachesOnlyAcceptedClients() {
		Session chosen = this.sessions.get(3);
		assertThat(this.hub.broadcastBinaryLocal((session) -> session == chosen, new byte[] { 7 }).recipients())
			.isEqualTo(1);
		this.hub.broadcast("fence");
		assertThat(this.clients.get(3).awaitBinary()).containsExactly(7);
		for (TuttiTestClient client : this.clients) {
			assertThat(client.awaitText()).isEqualTo("fence");
		}
	}

	@Test
	void broadcastOthersSkipsTheSender() {
		this.events.onMessage((session, text) -> this.hub.broadcastOthers(session, text));
		this.clients.get(0).sendText("from 0");
		for (int i = 1; i < CLIENTS; i++) {
			assertThat(this.clients.get(i).awaitText()).isEqualTo("from 0");
		}
		this.hub.broadcast("fence");
		for (TuttiTestClient client : this.clients) {
			assertThat(client.awaitText()).isEqualTo("fence");
		}
	}

	@Test
	void binaryBroadcastOthersSkipsTheSender() {
		assertThat(this.hub.broadcastBinary(Target.allExcept(this.sessions.get(0)), new byte[] { 9 }).recipients())
			.isEqualTo(CLIENTS - 1);
		this.hub.broadcast("fence");
		assertThat(this.clients.get(0).awaitText()).isEqualTo("fence");
		for (int i = 1; i < CLIENTS; i++) {
			assertThat(this.clients.get(i).awaitBinary()).containsExactly(9);
		}
	}

	@Test
	void broadcastToACollectionReachesOnlyItsMembers() {
		List<Session> recipients = this.sessions.subList(2, 5);
		assertThat(this.hub.broadcastTo(recipients, "to some").recipients()).isEqualTo(3);
		assertThat(this.hub
			.broadcastBinary(Target.sessions(recipients.stream().map(Session::id).toList()), new byte[] { 5 })
			.recipients()).isEqualTo(3);
		this.hub.broadcast("fence");
		for (int i = 0; i < CLIENTS; i++) {
			if (i >= 2 && i < 5) {
				assertThat(this.clients.get(i).awaitText()).isEqualTo("to some");
				assertThat(this.clients.get(i).awaitBinary()).containsExactly(5);
			}
			assertThat(this.clients.get(i).awaitText()).isEqualTo("fence");
		}
	}

	@Test
	void broadcastSkipsClosedSessions() {
		this.clients.get(0).close(1000, "");
		await().until(() -> this.hub.size() == CLIENTS - 1);
		assertThat(this.hub.broadcast("to the rest").recipients()).isEqualTo(CLIENTS - 1);
		assertThat(this.hub.broadcastTo(this.sessions, "to the rest").recipients()).isEqualTo(CLIENTS - 1);
		for (int i = 1; i < CLIENTS; i++) {
			assertThat(this.clients.get(i).awaitText()).isEqualTo("to the rest");
			assertThat(this.clients.get(i).awaitText()).isEqualTo("to the rest");
		}
	}

	@Test
	void broadcastsArriveInOrder() {
		for (int i = 0; i < 100; i++) {
			this.hub.broadcast("message " + i);
		}
		for (TuttiTestClient client : this.clients) {
			for (int i = 0; i < 100; i++) {
				assertThat(client.awaitText()).isEqualTo("message " + i);
			}
		}
	}

}
