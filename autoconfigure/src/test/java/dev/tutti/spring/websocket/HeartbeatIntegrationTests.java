package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.Map;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pings and pong timeouts with {@code tutti.ping-period=200ms} and
 * {@code tutti.pong-timeout=1s}.
 */
class HeartbeatIntegrationTests extends AbstractIntegrationTests {

	private static final Duration PONG_TIMEOUT = Duration.ofSeconds(1);

	@Test
	void clientThatAnswersPingsStaysConnected() {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		await().during(PONG_TIMEOUT.multipliedBy(2).plusMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !session.isClosed() && client.isOpen());
		assertThat(client.pingsReceived()).isGreaterThanOrEqualTo(5);
		assertThat(this.events.pongsOf(session)).isGreaterThanOrEqualTo(5);
		assertThat(this.events.disconnectsOf(session)).isEmpty();
	}

	@Test
	void clientThatNeverAnswersPingsIsClosedAfterThePongTimeout() throws Exception {
		RawWebSocketClient client = connectRaw("/ws?client=silent", Map.of(), 0);
		long connected = System.nanoTime();
		Session session = this.events.session("silent");
		int pings = 0;
		RawWebSocketClient.Frame frame = client.readFrame(Duration.ofSeconds(5));
		while (frame.opcode() == RawWebSocketClient.PING) {
			pings++;
			frame = client.readFrame(Duration.ofSeconds(5));
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - connected);
		assertThat(frame.opcode()).isEqualTo(RawWebSocketClient.CLOSE);
		assertThat(new CloseStatus(frame.closeCode(), frame.closeReason())).isEqualTo(CloseStatus.PONG_TIMEOUT);
		assertThat(elapsed).isGreaterThan(PONG_TIMEOUT.minusMillis(250)).isLessThan(PONG_TIMEOUT.plusSeconds(1));
		assertThat(pings).isPositive();
		await().untilAsserted(
				() -> assertThat(this.events.disconnectsOf(session)).containsExactly(CloseStatus.PONG_TIMEOUT));
		assertThat(this.events.pongsOf(session)).isZero();
	}

}
