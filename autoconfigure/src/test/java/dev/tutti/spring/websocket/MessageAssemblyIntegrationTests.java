package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that sends the fragments of a message slowly holds the reassembly buffer only
 * until {@code tutti.message-assembly-timeout} (2 s here), then its session is closed
 * with 1008, although the client is anything but silent.
 */
class MessageAssemblyIntegrationTests extends AbstractIntegrationTests {

	private static final Duration ASSEMBLY_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void closesSessionWhoseFragmentsArriveTooSlowly() throws IOException {
		RawWebSocketClient client = connectRaw("/ws?client=trickle", Map.of(), 0);
		Session session = this.events.session("trickle");
		long started = System.nanoTime();
		client.sendFrame(false, RawWebSocketClient.TEXT, bytes("first part"));
		RawWebSocketClient.Frame close = trickleUntilClosed(client, Duration.ofSeconds(10));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		assertThat(close).isNotNull();
		assertThat(new CloseStatus(close.closeCode(), close.closeReason())).isEqualTo(CloseStatus.ASSEMBLY_TIMEOUT);
		assertThat(elapsed).isGreaterThanOrEqualTo(ASSEMBLY_TIMEOUT.minusMillis(50));
		await().untilAsserted(
				() -> assertThat(this.events.disconnectsOf(session)).containsExactly(CloseStatus.ASSEMBLY_TIMEOUT));
		assertThat(this.events.sentTo(session)).isEmpty();
	}

	@Test
	void keepsSessionWhoseFragmentedMessagesEachCompleteInTime() throws IOException {
		RawWebSocketClient client = connectRaw("/ws?client=steady", Map.of(), 0);
		Session session = this.events.session("steady");
		for (int i = 0; i < 12; i++) {
			// Each message takes about 200 ms; together they take longer than the
			// timeout.
			// The hub echoes them.
			client.sendFrame(false, RawWebSocketClient.TEXT, bytes("message "));
			assertThat(trickleUntilClosed(client, Duration.ofMillis(200))).isNull();
			client.sendFrame(true, RawWebSocketClient.CONTINUATION, bytes(String.valueOf(i)));
			assertThat(client.readMessageFrame(Duration.ofSeconds(5)).text()).matches("message \\.* ?" + i);
		}
		assertThat(session.isClosed()).isFalse();
	}

	/**
	 * Send a one-byte fragment every 50 ms, answering pings, until the server closes the
	 * connection or the time is up.
	 * @return the server's close frame, or {@code null} if the time was up first
	 */
	private static RawWebSocketClient.@Nullable Frame trickleUntilClosed(RawWebSocketClient client, Duration duration)
			throws IOException {
		long deadline = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() - deadline < 0) {
			try {
				RawWebSocketClient.Frame frame = client.readFrame(Duration.ofMillis(50));
				if (frame.opcode() == RawWebSocketClient.CLOSE) {
					return frame;
				}
				if (frame.opcode() == RawWebSocketClient.PING) {
					client.sendPong(frame.payload());
				}
			}
			catch (SocketTimeoutException ex) {
				client.sendFrame(false, RawWebSocketClient.CONTINUATION, bytes("."));
			}
		}
		return null;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
