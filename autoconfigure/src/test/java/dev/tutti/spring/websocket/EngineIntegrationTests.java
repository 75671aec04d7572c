package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for what is Tutti's own protocol engine's
 * ({@code tutti.transport=engine}, the default) rather than the container's: the
 * handshake checks, extensions and the close handshake. The conformance of its framing is
 * tested by the benchmarks' echo conformance tests; the other integration tests run on
 * both transports (see the build's {@code standard-transport} execution).
 */
class EngineIntegrationTests extends AbstractIntegrationTests {

	private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

	@Test
	void servesConnectionsWithoutNegotiatingExtensions() throws IOException {
		RawWebSocketClient client = connectRaw("/shout?client=" + UUID.randomUUID(),
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"), 0);
		assertThat(client.status()).isEqualTo(101);
		assertThat(client.responseHeaders()).doesNotContainKey("sec-websocket-extensions");
		client.sendText("hi");
		RawWebSocketClient.Frame frame = client.readMessageFrame(Duration.ofSeconds(5));
		assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.TEXT);
		assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("HI");
	}

	@Test
	void refusesAnotherVersionThan13With426NamingTheSupportedOne() throws IOException {
		List<String> response = exchange(
				handshake("Connection: Upgrade", "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 8"));
		assertThat(response.get(0)).startsWith("HTTP/1.1 426");
		assertThat(response).contains("Sec-WebSocket-Version: 13");
		assertThat(this.events.connects()).isEmpty();
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void refusesAMissingOrInvalidKeyAndAConnectionHeaderWithoutUpgradeWith400() throws IOException {
		String version = "Sec-WebSocket-Version: 13";
		assertThat(exchange(handshake("Connection: Upgrade", version)).get(0)).startsWith("HTTP/1.1 400");
		assertThat(exchange(handshake("Connection: Upgrade", "Sec-WebSocket-Key: not-a-key", version)).get(0))
			.startsWith("HTTP/1.1 400");
		assertThat(exchange(handshake("Connection: keep-alive", "Sec-WebSocket-Key: " + KEY, version))).first()
			.asString()
			.startsWith("HTTP/1.1 400");
		assertThat(exchange(handshake("Connection: keep-alive, Upgrade", "Sec-WebSocket-Key: " + KEY, version))).first()
			.asString()
			.startsWith("HTTP/1.1 101");
		assertThat(this.events.connects()).hasSize(1);
	}

	@Test
	void answersAPingWithItsPayload() throws IOException {
		RawWebSocketClient client = connectRaw("/ws?client=" + UUID.randomUUID(), Map.of(), 0);
		client.sendFrame(true, RawWebSocketClient.PING, new byte[] { 1, 2, 3 });
		RawWebSocketClient.Frame frame = client.readFrame(Duration.ofSeconds(5));
		while (frame.opcode() != RawWebSocketClient.PONG) {
			frame = client.readFrame(Duration.ofSeconds(5));
		}
		assertThat(frame.payload()).containsExactly(1, 2, 3);
	}

	@Test
	void answersTheClientsCloseFrameWithItsCodeAlone() throws IOException {
		String clientId = UUID.randomUUID().toString();
		RawWebSocketClient client = connectRaw("/ws?client=" + clientId, Map.of(), 0);
		Session session = this.events.session(clientId);
		client.sendClose(1001, "going away now");
		RawWebSocketClient.Frame frame = client.readFrame(Duration.ofSeconds(5));
		while (frame.opcode() != RawWebSocketClient.CLOSE) {
			frame = client.readFrame(Duration.ofSeconds(5));
		}
		assertThat(frame.payload()).containsExactly(0x03, (byte) 0xE9);
		await().untilAsserted(() -> assertThat(this.events.closesOf(session))
			.containsExactly(new CloseStatus(1001, "going away now")));
	}

	@Test
	void endsTheConnectionOfAClientThatDoesNotAnswerTheCloseFrameWithinTheWriteTimeout() throws IOException {
		String clientId = UUID.randomUUID().toString();
		RawWebSocketClient client = connectRaw("/ws?client=" + clientId, Map.of(), 0);
		Session session = this.events.session(clientId);
		assertThat(this.hub.closeSession(session.id(), CloseStatus.NORMAL)).isTrue();
		RawWebSocketClient.Frame frame = client.readFrame(Duration.ofSeconds(5));
		while (frame.opcode() != RawWebSocketClient.CLOSE) {
			frame = client.readFrame(Duration.ofSeconds(5));
		}
		assertThat(frame.payload()).startsWith(0x03, (byte) 0xE8);
		// The write timeout is 500 ms; the connector checks every second
		assertThat(client.awaitEndOfStream(Duration.ofSeconds(5))).isTrue();
	}

	private static String handshake(String... headers) {
		return "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n" + String.join("\r\n", headers)
				+ "\r\n\r\n";
	}

}
