package dev.tutti;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.tutti.transport.SendCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the heartbeat: pings, pong timeouts and write timeouts of pings.
 */
class HeartbeatTests {

	private static final Duration PING_PERIOD = Duration.ofMillis(100);

	private static final Duration PONG_TIMEOUT = Duration.ofMillis(300);

	/**
	 * Pong timeout of the tests that check a live session stays open: long enough that a
	 * heartbeat thread starved on a loaded machine does not close it before pinging it.
	 */
	private static final Duration TOLERANT_PONG_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Longer than {@link #TOLERANT_PONG_TIMEOUT} plus a tick: a silent session would be
	 * closed.
	 */
	private static final Duration ALIVE_WINDOW = TOLERANT_PONG_TIMEOUT.plusMillis(300);

	private final List<Hub> hubs = new ArrayList<>();

	private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService peer = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void closeHubs() {
		this.peer.shutdownNow();
		this.hubs.forEach(Hub::close);
	}

	@Test
	void pingsSessions() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofSeconds(2));
		TestConnection connection = new TestConnection().autoPong();
		connection.open(hub);
		await().untilAsserted(() -> assertThat(connection.pings()).isGreaterThanOrEqualTo(3));
	}

	@Test
	void keepsSessionThatAnswersPings() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofSeconds(2));
		List<Session> pongs = new CopyOnWriteArrayList<>();
		hub.onPong(pongs::add);
		TestConnection connection = new TestConnection().autoPong();
		connection.open(hub);
		await().during(ALIVE_WINDOW).atMost(Duration.ofSeconds(5)).until(() -> !connection.session().isClosed());
		assertThat(pongs).isNotEmpty().allSatisfy((session) -> assertThat(session).isSameAs(connection.session()));
		assertThat(this.disconnects).isEmpty();
	}

	@Test
	void closesSessionThatNeverAnswers() {
		Hub hub = hub(PONG_TIMEOUT, Duration.ofSeconds(2));
		TestConnection connection = new TestConnection();
		connection.open(hub);
		await().atMost(PONG_TIMEOUT.plusSeconds(1)).untilAsserted(() -> assertThat(this.disconnects).isNotEmpty());
		assertThat(connection.session().isClosed()).isTrue();
		assertThat(hub.size()).isZero();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.PONG_TIMEOUT));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> this.disconnects.size() == 1);
		assertThat(this.disconnects).containsExactly(CloseStatus.PONG_TIMEOUT);
		assertThat(this.errors).isEmpty();
	}

	@Test
	void anyInboundFrameCountsAsAlive() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofSeconds(2));
		TestConnection connection = new TestConnection();
		connection.open(hub);
		this.peer.scheduleAtFixedRate(() -> connection.listener().onText("alive", true), 0, 50, TimeUnit.MILLISECONDS);
		await().during(ALIVE_WINDOW).atMost(Duration.ofSeconds(5)).until(() -> !connection.session().isClosed());
		assertThat(this.disconnects).isEmpty();
	}

	@Test
	void anyInboundBinaryFrameCountsAsAlive() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofSeconds(2));
		TestConnection connection = new TestConnection();
		connection.open(hub);
		this.peer.scheduleAtFixedRate(() -> connection.listener().onBinary(ByteBuffer.allocate(1), false), 0, 50,
				TimeUnit.MILLISECONDS);
		await().during(ALIVE_WINDOW).atMost(Duration.ofSeconds(5)).until(() -> !connection.session().isClosed());
		assertThat(this.disconnects).isEmpty();
	}

	@Test
	void pingWaitsForTheWriteInFlight() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofSeconds(2));
		TestConnection connection = new TestConnection().hold();
		connection.open(hub);
		connection.session().write("stalled");
		this.peer.scheduleAtFixedRate(() -> connection.listener().onPong(ByteBuffer.allocate(0)), 0, 50,
				TimeUnit.MILLISECONDS);
		await().during(PING_PERIOD.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(() -> connection.pings() == 0);
		connection.release();
		await().untilAsserted(() -> assertThat(connection.pings()).isPositive());
		assertThat(connection.maxSendsInFlight()).isOne();
		assertThat(connection.session().isClosed()).isFalse();
	}

	@Test
	void closesSessionWhosePingDoesNotComplete() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofMillis(300));
		TestConnection connection = new TestConnection().hold();
		connection.open(hub);
		this.peer.scheduleAtFixedRate(() -> connection.listener().onText("alive", true), 0, 50, TimeUnit.MILLISECONDS);
		await().untilAsserted(() -> assertThat(this.disconnects).containsExactly(CloseStatus.WRITE_TIMEOUT));
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.WRITE_TIMEOUT));
		assertThat(connection.pings()).isOne();
	}

	@Test
	void aPingThatThrowsReachesTheErrorHandlersAndClosesTheSession() {
		Hub hub = hub(TOLERANT_PONG_TIMEOUT, Duration.ofSeconds(2));
		IllegalStateException failure = new IllegalStateException("ping failed");
		TestConnection connection = new TestConnection() {

			@Override
			public void sendPing(ByteBuffer data, SendCallback callback) {
				throw failure;
			}

		};
		connection.open(hub);
		await().untilAsserted(() -> assertThat(this.disconnects)
			.containsExactly(CloseStatus.SERVER_ERROR.withReason("Write failed")));
		assertThat(this.errors).containsExactly(failure);
		await().untilAsserted(() -> assertThat(connection.closes())
			.containsExactly(CloseStatus.SERVER_ERROR.withReason("Write failed")));
	}

	private Hub hub(Duration pongTimeout, Duration writeTimeout) {
		Hub hub = Hub.create(HubConfig.builder()
			.pingPeriod(PING_PERIOD)
			.pongTimeout(pongTimeout)
			.writeTimeout(writeTimeout)
			.build());
		hub.onDisconnect((session, status) -> this.disconnects.add(status));
		hub.onError((session, error) -> this.errors.add(error));
		this.hubs.add(hub);
		return hub;
	}

}
