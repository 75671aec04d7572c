package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that completed the handshake and then neither reads nor sends anything, while
 * the hub writes to it until its socket receive buffer and the server's send buffer are
 * full: the write timeout ({@code 2s}; the pong timeout, {@code 30s}, is far away) closes
 * it, and nothing of it is left in the registry, its rooms or the meters.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tutti.ping-period=200ms", "tutti.pong-timeout=30s", "tutti.write-timeout=2s" })
class SilentPeerIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	MeterRegistry meterRegistry;

	@Test
	void silentPeerWhoseReceiveBufferFillsIsClosedByTheWriteTimeout() throws Exception {
		this.events.onConnect((session) -> session.join("silent-peers"));
		double activeBefore = activeSessions();
		RawWebSocketClient peer = connectRaw("/ws?client=full", Map.of(), 4096);
		Session session = this.events.session("full");
		String payload = "x".repeat(64 * 1024);
		// Write until a write stalls, the socket buffers of both ends full, and the write
		// timeout closes the session
		while (!session.isClosed()) {
			CompletableFuture<Void> written = session.writeAsync(payload).toCompletableFuture();
			await().atMost(Duration.ofSeconds(20)).until(() -> written.isDone() || session.isClosed());
		}
		// The write timeout, then closing the connection, which may block for as long
		// again
		await().atMost(Duration.ofSeconds(20)).until(() -> this.hub.sessionInfo(session.id()) == null);
		// 1001 from the hub's write timeout; 1006 with the same reason when the
		// container, failing to send that close frame, reports the connection's end
		// first
		assertThat(this.events.disconnectsOf(session)).singleElement()
			.satisfies((status) -> assertThat(status.reason()).isEqualTo(CloseStatus.WRITE_TIMEOUT.reason()));
		assertThat(session.rooms()).isEmpty();
		assertThat(this.hub.room("silent-peers").members()).doesNotContain(session);
		await().atMost(Duration.ofSeconds(2)).until(() -> activeSessions() == activeBefore);
		peer.abort();
	}

	private double activeSessions() {
		return this.meterRegistry.get("tutti.sessions.active").tag("hub", "tutti").gauge().value();
	}

}
