package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tutti.CloseStatus;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that vanish without a close frame, with {@code tutti.ping-period=200ms}, and
 * {@code tutti.pong-timeout=400ms}: a TCP reset, and a peer that completed the handshake
 * and then never reads nor answers. Each is detected within the pong timeout plus one
 * ping period and leaves nothing behind: not in the registry, not in a room, one
 * disconnect, the active sessions gauge back where it was.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tutti.ping-period=200ms", "tutti.pong-timeout=400ms", "tutti.max-message-size=256KB" })
class DeadPeerIntegrationTests extends AbstractIntegrationTests {

	private static final Duration PING_PERIOD = Duration.ofMillis(200);

	private static final Duration PONG_TIMEOUT = Duration.ofMillis(400);

	/**
	 * What the heartbeat's tick and the worker's scheduling may add on a busy machine.
	 */
	private static final Duration SCHEDULING_MARGIN = Duration.ofMillis(300);

	private static final Duration DETECTION_BOUND = PONG_TIMEOUT.plus(PING_PERIOD).plus(SCHEDULING_MARGIN);

	private static final List<String> ROOMS = List.of("dead-peers-a", "dead-peers-b");

	@Autowired
	MeterRegistry meterRegistry;

	@BeforeEach
	void joinRoomsOnConnect() {
		this.events.onConnect((session) -> ROOMS.forEach(session::join));
	}

	@Test
	void peerThatResetsItsConnectionIsCleanedUp() throws Exception {
		TuttiTestClient bystander = connect();
		Session bystanderSession = this.events.session(bystander);
		double activeBefore = activeSessions();
		RawWebSocketClient peer = connectRaw("/ws?client=reset", Map.of(), 0);
		Session session = this.events.session("reset");
		await().until(() -> activeSessions() == activeBefore + 1);
		long vanished = System.nanoTime();
		peer.abort();
		AtomicLong detected = awaitGone(session);
		assertThat(Duration.ofNanos(detected.get() - vanished)).isLessThan(DETECTION_BOUND);
		assertCleanedUp(session, activeBefore);
		assertThat(this.events.disconnectsOf(session)).singleElement()
			.satisfies((status) -> assertThat(status.code()).isEqualTo(CloseStatus.NO_CLOSE_FRAME.code()));
		assertThat(bystanderSession.rooms()).containsExactlyInAnyOrderElementsOf(ROOMS);
		this.hub.room(ROOMS.get(0)).broadcast("still here");
		assertThat(bystander.awaitText()).isEqualTo("still here");
	}

	@Test
	void silentPeerIsClosedByThePongTimeoutAndCleanedUp() throws Exception {
		double activeBefore = activeSessions();
		RawWebSocketClient peer = connectRaw("/ws?client=silent", Map.of(), 0);
		// The session saw its last frame before the upgrade response left
		long lastFrame = System.nanoTime();
		Session session = this.events.session("silent");
		AtomicLong detected = awaitGone(session);
		Duration elapsed = Duration.ofNanos(detected.get() - lastFrame);
		assertThat(elapsed).isLessThan(DETECTION_BOUND).isGreaterThan(PONG_TIMEOUT.minusMillis(50));
		assertCleanedUp(session, activeBefore);
		assertThat(this.events.disconnectsOf(session)).containsExactly(CloseStatus.PONG_TIMEOUT);
		peer.abort();
	}

	@Test
	void handlerThatBlocksLongerThanThePongTimeoutGetsItsSessionClosed() throws Exception {
		// Frames of a session are read one at a time: its pongs wait behind the handler
		CountDownLatch release = new CountDownLatch(1);
		this.events.onMessage((session, text) -> release.await(10, TimeUnit.SECONDS));
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		try {
			client.sendText("block");
			awaitGone(session);
			assertThat(this.events.disconnectsOf(session)).containsExactly(CloseStatus.PONG_TIMEOUT);
		}
		finally {
			release.countDown();
		}
	}

	/**
	 * Wait until a session has left the registry and return when that was seen.
	 */
	private AtomicLong awaitGone(Session session) {
		AtomicLong seen = new AtomicLong();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
			boolean gone = this.hub.sessionInfo(session.id()) == null;
			if (gone) {
				seen.set(System.nanoTime());
			}
			return gone;
		});
		return seen;
	}

	private void assertCleanedUp(Session session, double activeBefore) {
		// The disconnect handlers run just after the session leaves the registry
		await().atMost(Duration.ofSeconds(2)).until(() -> !this.events.disconnectsOf(session).isEmpty());
		assertThat(session.isClosed()).isTrue();
		assertThat(this.hub.sessions()).doesNotContain(session);
		assertThat(session.rooms()).isEmpty();
		for (String room : ROOMS) {
			assertThat(this.hub.room(room).members()).doesNotContain(session);
		}
		assertThat(this.events.disconnectsOf(session)).hasSize(1);
		await().atMost(Duration.ofSeconds(2)).until(() -> activeSessions() == activeBefore);
	}

	private double activeSessions() {
		return this.meterRegistry.get("tutti.sessions.active").tag("hub", "tutti").gauge().value();
	}

}
