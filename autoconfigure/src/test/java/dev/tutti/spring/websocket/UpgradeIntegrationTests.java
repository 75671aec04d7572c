package dev.tutti.spring.websocket;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tutti.HandshakeResult;
import dev.tutti.test.RawWebSocketClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the upgrade: when a session is registered, what a refused
 * handshake answers, and what becomes of a session whose upgrade fails.
 */
class UpgradeIntegrationTests extends AbstractIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int TEXT = 1;

	@Test
	void everyBroadcastMadeAfterAClientSawItsUpgradeResponseReachesIt() throws Exception {
		this.events.onMessage((session, text) -> this.hub.broadcast(text));
		RawWebSocketClient trigger = connectRaw("/ws?client=trigger", Map.of(), 0);
		for (int i = 0; i < 300; i++) {
			RawWebSocketClient fresh = connectRaw("/ws?client=fresh-" + i, Map.of(), 0);
			assertThat(fresh.status()).isEqualTo(101);
			// At once: the server may not have opened the new connection yet
			String expected = "after upgrade " + i;
			trigger.sendText(expected);
			// Earlier broadcasts that the server handled after this upgrade may come
			// first
			List<String> received = new ArrayList<>();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!received.contains(expected)) {
				assertThat(System.nanoTime() - deadline).as("%s never arrived; received %s", expected, received)
					.isNegative();
				RawWebSocketClient.Frame frame = fresh.readFrame(TIMEOUT);
				if (frame.opcode() == TEXT) {
					received.add(new String(frame.payload(), StandardCharsets.UTF_8));
				}
			}
			fresh.abort();
		}
	}

	@Test
	void refusedHandshakeAnswersWithTheReasonAsPlainText() throws Exception {
		this.events.onHandshake((request) -> HandshakeResult.reject(401, "Log in first"));
		RawWebSocketClient refused = connectRaw("/ws", Map.of(), 0);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.responseHeaders().get("content-type")).startsWith("text/plain");
		assertThat(refused.readResponseBody()).isEqualTo("Log in first");
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void sessionWhoseUpgradeFailsLeavesTheHub() throws Exception {
		// Accepted by the hub, then refused by the container for its protocol version
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			String request = "GET /ws?client=old-version HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 8\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			String statusLine = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			assertThat(statusLine).startsWith("HTTP/1.1 426");
		}
		await().until(() -> this.hub.size() == 0);
		assertThat(this.events.connects()).isEmpty();
		assertThat(this.events.disconnects()).isEmpty();
	}

}
