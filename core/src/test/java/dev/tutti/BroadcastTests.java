package dev.tutti;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the hub's broadcasts.
 */
class BroadcastTests {

	private static final int SESSIONS = 10;

	private final Hub hub = Hub.create();

	private final List<Hub> otherHubs = new ArrayList<>();

	private final List<TestConnection> connections = new ArrayList<>();

	@AfterEach
	void closeHubs() {
		this.hub.close();
		this.otherHubs.forEach(Hub::close);
	}

	@Test
	void broadcastReachesEverySession() {
		openSessions(SESSIONS);
		BroadcastResult result = this.hub.broadcast("hello");
		assertThat(result).isEqualTo(new BroadcastResult(SESSIONS, 0));
		assertThat(result.isComplete()).isTrue();
		assertThat(this.connections)
			.allSatisfy((connection) -> assertThat(connection.texts()).containsExactly("hello"));
	}

	@Test
	void broadcastBinaryReachesEverySession() {
		openSessions(SESSIONS);
		BroadcastResult result = this.hub.broadcastBinary(Target.all(), new byte[] { 1, 2, 3 });
		assertThat(result).isEqualTo(new BroadcastResult(SESSIONS, 0));
		assertThat(this.connections)
			.allSatisfy((connection) -> assertThat(connection.binaries()).containsExactly(new byte[] { 1, 2, 3 }));
	}

	@Test
	void broadcastBinaryGivesEachSessionItsOwnBuffer() {
		openSessions(SESSIONS);
		byte[] data = { 1, 2, 3, 4 };
		this.hub.broadcastBinary(Target.all(), data);
		List<ByteBuffer> buffers = this.connections.stream()
			.map((connection) -> connection.buffers().get(0))
			.collect(Collectors.toList());
		assertThat(buffers).allSatisfy((buffer) -> assertThat(buffer.remaining()).isZero());
		assertThat(buffers.stream().map(System::identityHashCode).collect(Collectors.toSet())).hasSize(SESSIONS);
		assertThat(this.connections)
			.allSatisfy((connection) -> assertThat(connection.binaries()).containsExactly(new byte[] { 1, 2, 3, 4 }));
	}

	@Test
	void broadcastBinaryCopiesTheArray() {
		TestConnection stalled = new TestConnection().hold();
		stalled.open(this.hub);
		openSessions(SESSIONS - 1);
		byte[] data = { 1, 2, 3 };
		this.hub.broadcastBinary(Target.all(), new byte[] { 0 });
		this.hub.broadcastBinary(Target.all(), data);
		data[0] = 9;
		stalled.release();
		assertThat(stalled.binaries()).containsExactly(new byte[] { 0 }, new byte[] { 1, 2, 3 });
		assertThat(this.connections).allSatisfy((connection) -> assertThat(connection.binaries())
			.containsExactly(new byte[] { 0 }, new byte[] { 1, 2, 3 }));
	}

	@Test
	void broadcastWithFilterReachesAcceptedSessions() {
		openSessions(SESSIONS);
		for (int i = 0; i < SESSIONS; i++) {
			this.connections.get(i).session().set("even", i % 2 == 0);
		}
		BroadcastResult result = this.hub.broadcastLocal((session) -> session.get("even", Boolean.class), "even");
		assertThat(result).isEqualTo(new BroadcastResult(SESSIONS / 2, 0));
		for (int i = 0; i < SESSIONS; i++) {
			assertThat(this.connections.get(i).texts()).isEqualTo((i % 2 == 0) ? List.of("even") : List.of());
		}
	}

	@Test
	void broadcastBinaryWithFilterReachesAcceptedSessions() {
		openSessions(SESSIONS);
		Session chosen = this.connections.get(3).session();
		BroadcastResult result = this.hub.broadcastBinaryLocal((session) -> session == chosen, new byte[] { 7 });
		assertThat(result).isEqualTo(new BroadcastResult(1, 0));
		for (int i = 0; i < SESSIONS; i++) {
			assertThat(this.connections.get(i).binaries()).hasSize((i == 3) ? 1 : 0);
		}
	}

	@Test
	void broadcastOthersSkipsTheSender() {
		openSessions(SESSIONS);
		Session sender = this.connections.get(0).session();
		BroadcastResult result = this.hub.broadcastOthers(sender, "hi");
		assertThat(result).isEqualTo(new BroadcastResult(SESSIONS - 1, 0));
		assertThat(this.connections.get(0).texts()).isEmpty();
		assertThat(this.connections.subList(1, SESSIONS))
			.allSatisfy((connection) -> assertThat(connection.texts()).containsExactly("hi"));
	}

	@Test
	void broadcastBinaryOthersSkipsTheSender() {
		openSessions(SESSIONS);
		Session sender = this.connections.get(SESSIONS - 1).session();
		BroadcastResult result = this.hub.broadcastBinary(Target.allExcept(sender), new byte[] { 5 });
		assertThat(result).isEqualTo(new BroadcastResult(SESSIONS - 1, 0));
		assertThat(this.connections.get(SESSIONS - 1).binaries()).isEmpty();
		assertThat(this.connections.subList(0, SESSIONS - 1))
			.allSatisfy((connection) -> assertThat(connection.binaries()).containsExactly(new byte[] { 5 }));
	}

	@Test
	void broadcastToReachesTheGivenSessions() {
		openSessions(SESSIONS);
		List<Session> recipients = List.of(this.connections.get(1).session(), this.connections.get(4).session(),
				this.connections.get(9).session());
		BroadcastResult result = this.hub.broadcastTo(recipients, "some");
		assertThat(result).isEqualTo(new BroadcastResult(3, 0));
		for (int i = 0; i < SESSIONS; i++) {
			assertThat(this.connections.get(i).texts()).hasSize(Set.of(1, 4, 9).contains(i) ? 1 : 0);
		}
		BroadcastResult binary = this.hub
			.broadcastBinary(Target.sessions(recipients.get(0).id(), recipients.get(1).id()), new byte[] { 1 });
		assertThat(binary).isEqualTo(new BroadcastResult(2, 0));
		for (int i = 0; i < SESSIONS; i++) {
			assertThat(this.connections.get(i).binaries()).hasSize(Set.of(1, 4).contains(i) ? 1 : 0);
		}
	}

	@Test
	void broadcastToSkipsSessionsOfAnotherHub() {
		openSessions(SESSIONS);
		Hub other = Hub.create();
		this.otherHubs.add(other);
		TestConnection foreign = new TestConnection();
		foreign.open(other);
		List<Session> recipients = new ArrayList<>(this.hub.sessions());
		recipients.add(foreign.session());
		assertThat(this.hub.broadcastTo(recipients, "mine")).isEqualTo(new BroadcastResult(SESSIONS, 0));
		assertThat(foreign.texts()).isEmpty();
		assertThat(this.connections).allSatisfy((connection) -> assertThat(connection.texts()).containsExactly("mine"));
	}

	@Test
	void broadcastSkipsClosedSessions() {
		openSessions(SESSIONS);
		Session closed = this.connections.get(2).session();
		List<Session> recipients = this.hub.sessions();
		closed.close();
		assertThat(this.hub.broadcastTo(recipients, "after close")).isEqualTo(new BroadcastResult(SESSIONS - 1, 0));
		assertThat(this.hub.broadcast("again")).isEqualTo(new BroadcastResult(SESSIONS - 1, 0));
		assertThat(this.connections.get(2).texts()).isEmpty();
	}

	@Test
	void broadcastCountsDroppedMessages() {
		Hub small = Hub.create(HubConfig.builder().outboundBufferSize(2).build());
		this.otherHubs.add(small);
		TestConnection stalled = new TestConnection().hold();
		stalled.open(small);
		for (int i = 0; i < SESSIONS - 1; i++) {
			new TestConnection().open(small);
		}
		assertThat(small.broadcast("in flight")).isEqualTo(new BroadcastResult(SESSIONS, 0));
		assertThat(small.broadcast("queued 1")).isEqualTo(new BroadcastResult(SESSIONS, 0));
		assertThat(small.broadcast("queued 2")).isEqualTo(new BroadcastResult(SESSIONS, 0));
		BroadcastResult result = small.broadcast("dropped");
		assertThat(result).isEqualTo(new BroadcastResult(SESSIONS, 1));
		assertThat(result.isComplete()).isFalse();
		assertThat(small.broadcastBinary(Target.all(), new byte[] { 1 })).isEqualTo(new BroadcastResult(SESSIONS, 1));
	}

	@Test
	void stalledSessionDoesNotDelayOthers() {
		TestConnection stalled = new TestConnection().hold();
		stalled.open(this.hub);
		openSessions(SESSIONS - 1);
		for (int i = 0; i < 100; i++) {
			this.hub.broadcast("m" + i);
		}
		assertThat(this.connections).allSatisfy((connection) -> assertThat(connection.texts()).hasSize(100));
		assertThat(stalled.texts()).containsExactly("m0");
		stalled.release();
		await().untilAsserted(() -> assertThat(stalled.texts()).hasSize(100));
	}

	@Test
	void broadcastOnClosedHubThrows() {
		openSessions(2);
		this.hub.close();
		assertThatExceptionOfType(HubClosedException.class).isThrownBy(() -> this.hub.broadcast("late"))
			.withMessageContaining("tutti")
			.satisfies((ex) -> assertThat(ex.getCloseStatus()).isEqualTo(CloseStatus.GOING_AWAY));
		assertThatExceptionOfType(HubClosedException.class)
			.isThrownBy(() -> this.hub.broadcastBinary(Target.all(), new byte[] { 1 }));
		assertThatExceptionOfType(HubClosedException.class).isThrownBy(() -> this.hub.broadcastTo(List.of(), "late"));
	}

	private void openSessions(int count) {
		for (int i = 0; i < count; i++) {
			TestConnection connection = new TestConnection();
			connection.open(this.hub);
			this.connections.add(connection);
		}
	}

}
