package dev.tutti;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.transport.ConnectionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the events a transport reports: pongs, close frames, lost connections and
 * transport errors.
 */
class ConnectionEventsTests {

	private final Hub hub = Hub.create();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	ConnectionEventsTests() {
		this.hub.onClose((session, status) -> this.events.add("close " + status));
		this.hub.onDisconnect((session, status) -> this.events.add("disconnect " + status));
		this.hub.onPong((session) -> this.events.add("pong"));
		this.hub.onError((session, error) -> {
			this.errors.add(error);
			this.events.add("error " + error.getClass().getSimpleName());
		});
	}

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void pongCallsPongHandler() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onPong(ByteBuffer.allocate(0));
		listener.onPong(ByteBuffer.wrap(new byte[] { 1 }));
		assertThat(this.events).containsExactly("pong", "pong");
	}

	@Test
	void peerCloseFrameCallsCloseThenDisconnectHandler() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onClosed(4000, "bye");
		listener.onClosed(4000, "bye");
		assertThat(this.events).containsExactly("close 4000 (bye)", "disconnect 4000 (bye)");
		assertThat(this.errors).isEmpty();
		assertThat(this.hub.size()).isZero();
		assertThat(connection.closes()).isEmpty();
	}

	@Test
	void closeHandlerReceivesPeerStatus() {
		List<CloseStatus> statuses = new CopyOnWriteArrayList<>();
		this.hub.onClose((session, status) -> statuses.add(status));
		this.hub.onDisconnect((session, status) -> statuses.add(status));
		TestConnection connection = new TestConnection();
		connection.open(this.hub).onClosed(4000, "bye");
		assertThat(statuses).containsExactly(new CloseStatus(4000, "bye"), new CloseStatus(4000, "bye"));
	}

	@Test
	void closeHandlerIsNotCalledWhenServerClosedFirst() {
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		connection.session().close();
		listener.onClosed(1000, "");
		assertThat(this.events).containsExactly("disconnect 1000");
	}

	@Test
	void normalClosesAreNotErrors() {
		for (int code : new int[] { 1000, 1001 }) {
			new TestConnection().open(this.hub).onClosed(code, "");
		}
		TestConnection closedByServer = new TestConnection();
		closedByServer.open(this.hub);
		closedByServer.session().close();
		new TestConnection().open(this.hub);
		this.hub.close();
		assertThat(this.errors).isEmpty();
		assertThat(this.events).containsExactly("close 1000", "disconnect 1000", "close 1001", "disconnect 1001",
				"disconnect 1000", "disconnect 1001");
	}

	@Test
	void connectionLostWithoutCloseFrameIsAnError() {
		TestConnection connection = new TestConnection();
		Session session = sessionOf(connection);
		connection.listener().onClosed(1006, "");
		assertThat(this.errors).singleElement().isInstanceOfSatisfying(ConnectionLostException.class, (ex) -> {
			assertThat(ex).hasMessageContaining(session.id());
			assertThat(ex.getCloseStatus()).isEqualTo(CloseStatus.NO_CLOSE_FRAME);
		});
		assertThat(this.events).containsExactly("error ConnectionLostException", "disconnect 1006");
		assertThat(session.isClosed()).isTrue();
	}

	@Test
	void connectionLostAfterTransportErrorIsReportedOnce() {
		TestConnection connection = new TestConnection();
		sessionOf(connection);
		IllegalStateException failure = new IllegalStateException("Connection reset");
		connection.listener().onError(failure);
		connection.listener().onClosed(1006, "");
		assertThat(this.errors).containsExactly(failure);
		assertThat(this.events).containsExactly("error IllegalStateException", "disconnect 1006");
	}

	@Test
	void networkErrorIsReportedAsConnectionLostWithItsCause() {
		TestConnection connection = new TestConnection();
		Session session = sessionOf(connection);
		IOException reset = new IOException("Connection reset by peer");
		connection.listener().onError(reset);
		connection.listener().onClosed(1006, "");
		assertThat(this.errors).singleElement().isInstanceOfSatisfying(ConnectionLostException.class, (ex) -> {
			assertThat(ex).hasMessageContaining(session.id()).hasMessageContaining("Connection reset by peer");
			assertThat(ex).hasCause(reset);
			assertThat(ex.isCausedByClient()).isTrue();
		});
		assertThat(this.events).containsExactly("error ConnectionLostException", "disconnect 1006");
	}

	@Test
	void invalidPeerCloseCodeIsTreatedAsConnectionLost() {
		TestConnection connection = new TestConnection();
		sessionOf(connection);
		connection.listener().onClosed(999, "odd");
		assertThat(this.events).containsExactly("error ConnectionLostException", "disconnect 1006 (odd)");
	}

	@Test
	void closeOfPeerFailsQueuedWrites() {
		TestConnection connection = new TestConnection().hold();
		Session session = sessionOf(connection);
		session.write("in flight");
		var queued = session.writeAsync("queued").toCompletableFuture();
		connection.listener().onClosed(1001, "");
		assertThat(queued).isCompletedExceptionally();
		assertThat(this.events).containsExactly("close 1001", "disconnect 1001");
	}

	@Test
	void framesAfterCloseAreIgnored() {
		List<String> messages = new CopyOnWriteArrayList<>();
		this.hub.onMessage((session, text) -> messages.add(text));
		TestConnection connection = new TestConnection();
		ConnectionListener listener = connection.open(this.hub);
		listener.onText("before", true);
		connection.session().close();
		listener.onText("after", true);
		listener.onBinary(ByteBuffer.wrap(new byte[] { 1 }), true);
		assertThat(messages).containsExactly("before");
	}

	private Session sessionOf(TestConnection connection) {
		connection.open(this.hub);
		return connection.session();
	}

}
