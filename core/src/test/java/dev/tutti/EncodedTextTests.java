package dev.tutti;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.transport.SendCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for connections that send text from the hub's UTF-8 encoding, and for errors
 * thrown by an asynchronous connection's send.
 */
class EncodedTextTests {

	private static final String TEXT = "héllo wörld € 中 \uD834\uDD1E";

	private final Hub hub = Hub.create();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void aBroadcastReachesEncodedTextConnectionsAsUtf8() {
		List<EncodedConnection> connections = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			EncodedConnection connection = new EncodedConnection();
			connection.open(this.hub);
			connections.add(connection);
		}

		this.hub.broadcast(TEXT);

		for (EncodedConnection connection : connections) {
			await().until(() -> connection.encoded.size() == 1);
			assertThat(connection.encoded).containsExactly(TEXT);
			assertThat(connection.texts()).isEmpty();
		}
	}

	@Test
	void aWriteReachesAnEncodedTextConnectionAsUtf8() {
		EncodedConnection connection = new EncodedConnection();
		connection.open(this.hub);

		connection.session().write(TEXT);
		connection.session().write("");

		await().until(() -> connection.encoded.size() == 2);
		assertThat(connection.encoded).containsExactly(TEXT, "");
	}

	@Test
	void encodingCountsTheSameBytesAsTheMeter() {
		Outbound message = Outbound.text(TEXT, 0, null);

		ByteBuffer first = message.newUtf8Buffer();
		ByteBuffer second = message.newUtf8Buffer();

		assertThat(first).isEqualTo(ByteBuffer.wrap(TEXT.getBytes(StandardCharsets.UTF_8)));
		assertThat(second).isEqualTo(first).isNotSameAs(first);
		assertThat(first.isReadOnly()).isTrue();
		assertThat(message.byteLength()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void anErrorThrownByAnAsynchronousSendClosesTheSessionAndIsReported() {
		this.hub.onError((session, error) -> this.errors.add(error));
		this.hub.onDisconnect((session, status) -> this.disconnects.add(status));
		TestConnection failing = new TestConnection() {

			@Override
			public void sendText(String text, SendCallback callback) {
				throw new StackOverflowError("deep");
			}

		};
		failing.open(this.hub);

		failing.session().write("x");

		await().until(() -> !this.disconnects.isEmpty());
		assertThat(this.disconnects).containsExactly(CloseStatus.SERVER_ERROR.withReason("Write failed"));
		assertThat(this.errors).singleElement().isInstanceOf(StackOverflowError.class);
		TestConnection healthy = new TestConnection();
		healthy.open(this.hub);
		healthy.session().write("still served");
		await().until(() -> healthy.texts().contains("still served"));
	}

	/**
	 * A connection that takes text as UTF-8 and records it decoded.
	 */
	static class EncodedConnection extends TestConnection {

		final List<String> encoded = new CopyOnWriteArrayList<>();

		@Override
		public boolean sendsEncodedText() {
			return true;
		}

		@Override
		public void sendText(String text, ByteBuffer utf8, SendCallback callback) {
			assertThat(utf8.isReadOnly()).isTrue();
			this.encoded.add(StandardCharsets.UTF_8.decode(utf8).toString());
			callback.completed(null);
		}

	}

}
