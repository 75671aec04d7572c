package dev.tutti.spring.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading while the hub broadcasts large messages: with
 * {@code tutti.write-timeout=500ms} it is closed once a write stalls, and meanwhile a
 * well-behaved client keeps receiving every broadcast promptly.
 */
class SlowClientIntegrationTests extends AbstractIntegrationTests {

	@Test
	void clientThatStopsReadingIsClosedAfterTheWriteTimeoutWithoutDelayingOthers() throws Exception {
		TuttiTestClient good = connect();
		Session goodSession = this.events.session(good);
		RawWebSocketClient slow = connectRaw("/ws?client=slow", Map.of(), 4096);
		Session slowSession = this.events.session("slow");
		ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
		// Frames from the client keep the pong timeout away: only the write may time out.
		keepAlive.scheduleAtFixedRate(() -> sendPong(slow), 0, 100, TimeUnit.MILLISECONDS);
		try {
			String payload = "x".repeat(64 * 1024);
			int delivered = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (this.events.disconnectsOf(slowSession).isEmpty() && System.nanoTime() < deadline) {
				this.hub.broadcast(delivered + ":" + payload);
				assertThat(good.awaitText()).startsWith(delivered + ":");
				delivered++;
			}
			assertThat(this.events.disconnectsOf(slowSession)).containsExactly(CloseStatus.WRITE_TIMEOUT);
			// The slow client's socket holds a few of these messages at most: the rest
			// reached the good client while the slow one's write was stalled
			assertThat(delivered).isGreaterThan(10);
			// The stalled write was cut off, so what the client still reads may end
			// mid-frame
			assertThat(slow.awaitEndOfStream(Duration.ofSeconds(10))).isTrue();
			assertThat(goodSession.isClosed()).isFalse();
			this.hub.broadcast("after");
			assertThat(good.awaitText()).isEqualTo("after");
		}
		finally {
			keepAlive.shutdownNow();
		}
	}

	private static void sendPong(RawWebSocketClient client) {
		try {
			client.sendPong(new byte[0]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
