package dev.tutti.spring.websocket;

import java.util.ArrayList;
import java.util.List;

import dev.tutti.BroadcastResult;
import dev.tutti.Session;
import dev.tutti.Target;
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

	private final List<TestClient> clients = new ArrayList<>();

	private final List<Session> sessions = new ArrayList<>();

	@BeforeEach
	void connectClients() {
		for (int i = 0; i < CLIENTS; i++) {
			TestClient client = connect("/ws?group=" + ((i % 2 == 0) ? "even" : "odd"));
			this.clients.add(client);
			this.sessions.add(this.events.session(client.id()));
		}
		await().until(() -> this.hub.size() == CLIENTS);
	}

	@Test
	void broadcastReachesEveryClient() throws Exception {
		assertThat(this.hub.broadcast("to all")).isEqualTo(new BroadcastResult(CLIENTS, 0));
		for (TestClient client : this.clients) {
			assertThat(client.receive()).isEqualTo("to all");
		}
	}

	@Test
	void binaryBroadcastReachesEveryClient() throws Exception {
		assertThat(this.hub.broadcastBinary(Target.all(), new byte[] { 1, 2, 3 }))
			.isEqualTo(new BroadcastResult(CLIENTS, 0));
		for (TestClient client : this.clients) {
			assertThat(client.receiveBinary()).containsExactly(1, 2, 3);
		}
	}

	@Test
	void filteredBroadcastReachesOnlyAcceptedClients() throws Exception {
		BroadcastResult result = this.hub
			.broadcastLocal((session) -> List.of("even").equals(session.queryParameters().get("group")), "to even");
		assertThat(result.recipients()).isEqualTo(CLIENTS / 2);
		this.hub.broadcast("fence");
		for (int i = 0; i < CLIENTS; i++) {
			if (i % 2 == 0) {
				assertThat(this.clients.get(i).receive()).isEqualTo("to even");
			}
			assertThat(this.clients.get(i).receive()).isEqualTo("fence");
		}
	}

	@Test
	void filteredBinaryBroadcastReachesOnlyAcceptedClients() throws Exception {
		Session chosen = this.sessions.get(3);
		assertThat(this.hub.broadcastBinaryLocal((session) -> session == chosen, new byte[] { 7 }).recipients())
			.isEqualTo(1);
		this.hub.broadcast("fence");
		assertThat(this.clients.get(3).receiveBinary()).containsExactly(7);
		for (TestClient client : this.clients) {
			assertThat(client.receive()).isEqualTo("fence");
		}
	}

	@Test
	void broadcastOthersSkipsTheSender() throws Exception {
		this.events.onMessage((session, text) -> this.hub.broadcastOthers(session, text));
		this.clients.get(0).send("from 0");
		for (int i = 1; i < CLIENTS; i++) {
			assertThat(this.clients.get(i).receive()).isEqualTo("from 0");
		}
		this.hub.broadcast("fence");
		for (TestClient client : this.clients) {
			assertThat(client.receive()).isEqualTo("fence");
		}
	}

	@Test
	void binaryBroadcastOthersSkipsTheSender() throws Exception {
		assertThat(this.hub.broadcastBinary(Target.allExcept(this.sessions.get(0)), new byte[] { 9 }).recipients())
			.isEqualTo(CLIENTS - 1);
		this.hub.broadcast("fence");
		assertThat(this.clients.get(0).receive()).isEqualTo("fence");
		for (int i = 1; i < CLIENTS; i++) {
			assertThat(this.clients.get(i).receiveBinary()).containsExactly(9);
		}
	}

	@Test
	void broadcastToACollectionReachesOnlyItsMembers() throws Exception {
		List<Session> recipients = this.sessions.subList(2, 5);
		assertThat(this.hub.broadcastTo(recipients, "to some").recipients()).isEqualTo(3);
		assertThat(this.hub
			.broadcastBinary(Target.sessions(recipients.stream().map(Session::id).toList()), new byte[] { 5 })
			.recipients()).isEqualTo(3);
		this.hub.broadcast("fence");
		for (int i = 0; i < CLIENTS; i++) {
			if (i >= 2 && i < 5) {
				assertThat(this.clients.get(i).receive()).isEqualTo("to some");
				assertThat(this.clients.get(i).receiveBinary()).containsExactly(5);
			}
			assertThat(this.clients.get(i).receive()).isEqualTo("fence");
		}
	}

	@Test
	void broadcastSkipsClosedSessions() throws Exception {
		this.clients.get(0).close(1000, "");
		await().until(() -> this.hub.size() == CLIENTS - 1);
		assertThat(this.hub.broadcast("to the rest").recipients()).isEqualTo(CLIENTS - 1);
		assertThat(this.hub.broadcastTo(this.sessions, "to the rest").recipients()).isEqualTo(CLIENTS - 1);
		for (int i = 1; i < CLIENTS; i++) {
			assertThat(this.clients.get(i).receive()).isEqualTo("to the rest");
			assertThat(this.clients.get(i).receive()).isEqualTo("to the rest");
		}
	}

	@Test
	void broadcastsArriveInOrder() throws Exception {
		for (int i = 0; i < 100; i++) {
			this.hub.broadcast("message " + i);
		}
		for (TestClient client : this.clients) {
			for (int i = 0; i < 100; i++) {
				assertThat(client.receive()).isEqualTo("message " + i);
			}
		}
	}

}
