package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
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
 * full: the write timeout ({@code 500ms}; the pong timeout, {@code 10s}, is far away)
 * closes it, and nothing of it is left in the registry, its rooms or the meters.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tutti.ping-period=200ms", "tutti.pong-timeout=10s", "tutti.write-timeout=500ms" })
class SilentPeerIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	MeterRegistry meterRegistry;

	@Test
	void silentPeerWhoseReceiveBufferFillsIsClosedByTheWriteTimeout() throws Exception {
		this.events.onConnect((session) -> session.join("silent-peers"));
		double activeBefore = activeSessions();
		RawClient peer = connectRaw("/ws?client=full", Map.of(), 4096);
		Session session = this.events.session("full");
		String payload = "x".repeat(64 * 1024);
		// Write until a write stalls: the socket buffers of both ends are full
		boolean stalled = false;
		while (!stalled && !session.isClosed()) {
			CompletableFuture<Void> written = session.writeAsync(payload).toCompletableFuture();
			try {
				written.get(50, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				stalled = true;
			}
			catch (ExecutionException ex) {
				// Closed already
				break;
			}
		}
		assertThat(stalled).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.sessionInfo(session.id()) == null);
		assertThat(this.events.disconnectsOf(session)).containsExactly(CloseStatus.WRITE_TIMEOUT);
		assertThat(session.rooms()).isEmpty();
		assertThat(this.hub.room("silent-peers").members()).doesNotContain(session);
		await().atMost(Duration.ofSeconds(2)).until(() -> activeSessions() == activeBefore);
		peer.abort();
	}

	private double activeSessions() {
		return this.meterRegistry.get("tutti.sessions.active").tag("hub", "tutti").gauge().value();
	}

}
