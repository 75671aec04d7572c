package dev.tutti;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TuttiHubMetrics}: every meter moves with the events it counts.
 */
class TuttiHubMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final Hub hub = Hub.create(HubConfig.builder()
		.name("chat")
		.outboundBufferSize(2)
		.maxMessageSize(16)
		.writeTimeout(Duration.ofMillis(200))
		.pingPeriod(Duration.ofMillis(50))
		.pongTimeout(Duration.ofSeconds(5))
		.build());

	TuttiHubMetricsTests() {
		this.hub.onError((session, error) -> {
		});
		new TuttiHubMetrics(this.hub, Tags.of("app", "test")).bindTo(this.registry);
	}

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void everyMeterHasTheHubTagADescriptionAndNoSessionTags() {
		open();
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getName()).startsWith("tutti.");
			assertThat(meter.getId().getTag("hub")).isEqualTo("chat");
			assertThat(meter.getId().getTag("app")).isEqualTo("test");
			assertThat(meter.getId().getDescription()).isNotBlank();
			assertThat(meter.getId().getTags()).extracting(Tag::getKey)
				.isSubsetOf("hub", "app", "reason", "outcome", "type", "handler");
		}
	}

	@Test
	void countsSessionsAndHandshakes() {
		TestConnection first = open();
		open();
		this.hub.onHandshake((request) -> HandshakeResult.reject(401, "no"));
		new TestConnection().handshake(this.hub);
		assertThat(gauge("tutti.sessions.active")).isEqualTo(2);
		assertThat(counter("tutti.sessions.opened")).isEqualTo(2);
		assertThat(counter("tutti.handshakes", "outcome", "accepted")).isEqualTo(2);
		assertThat(counter("tutti.handshakes", "outcome", "rejected")).isEqualTo(1);

		first.listener().onClosed(1000, "");
		assertThat(gauge("tutti.sessions.active")).isEqualTo(1);
		assertThat(counter("tutti.sessions.closed", "reason", "normal")).isEqualTo(1);

		this.hub.close();
		assertThat(counter("tutti.sessions.closed", "reason", "server-shutdown")).isEqualTo(1);
		new TestConnection().handshake(this.hub);
		assertThat(counter("tutti.handshakes", "outcome", "hub-closed")).isEqualTo(1);
	}

	@Test
	void countsCloseReasons() {
		open().listener().onClosed(1001, "");
		open().listener().onClosed(1006, "");
		open().listener().onText("x".repeat(17), true);
		TestConnection stalled = open().hold();
		assertThat(this.hub.size()).isOne();
		assertThat(counter("tutti.sessions.closed", "reason", "going-away")).isEqualTo(1);
		assertThat(counter("tutti.sessions.closed", "reason", "connection-lost")).isEqualTo(1);
		assertThat(counter("tutti.sessions.closed", "reason", "message-too-big")).isEqualTo(1);
		stalled.session().write("stalled");
		await()
			.untilAsserted(() -> assertThat(counter("tutti.sessions.closed", "reason", "write-timeout")).isEqualTo(1));
	}

	@Test
	void countsMessagesInAndOutWithTheirBytes() {
		TestConnection connection = open();
		connection.listener().onText("héllo", true);
		connection.listener().onBinary(ByteBuffer.wrap(new byte[3]), true);
		connection.session().write("déjà");
		connection.session().writeBinary(new byte[5]);
		assertThat(counter("tutti.messages.received", "type", "text")).isEqualTo(1);
		assertThat(counter("tutti.messages.received.bytes", "type", "text")).isEqualTo(6);
		assertThat(counter("tutti.messages.received", "type", "binary")).isEqualTo(1);
		assertThat(counter("tutti.messages.received.bytes", "type", "binary")).isEqualTo(3);
		assertThat(counter("tutti.messages.sent", "type", "text")).isEqualTo(1);
		assertThat(counter("tutti.messages.sent.bytes", "type", "text")).isEqualTo(6);
		assertThat(counter("tutti.messages.sent", "type", "binary")).isEqualTo(1);
		assertThat(counter("tutti.messages.sent.bytes", "type", "binary")).isEqualTo(5);
		assertThat(counter("tutti.writes")).isEqualTo(2);
		// One message in 64 on an unbatched connection, starting with the first
		assertThat(this.registry.get("tutti.send.latency").timer().count()).isEqualTo(1);
	}

	@Test
	void keepsCountingWhatSessionsWroteAfterTheyEnd() {
		TestConnection ended = open();
		ended.session().write("before the end");
		ended.listener().onClosed(1000, "");
		TestConnection closing = open().hold();
		closing.session().write("in flight");
		closing.session().write("flushed after close");
		closing.session().close();
		assertThat(counter("tutti.messages.sent", "type", "text")).isEqualTo(1);
		closing.release();
		await().untilAsserted(() -> assertThat(counter("tutti.messages.sent", "type", "text")).isEqualTo(3));
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void keepsEveryTotalOfASessionThatEnded() {
		TestConnection ended = open();
		ended.session().write("déjà");
		ended.session().writeBinary(new byte[5]);
		ended.listener().onClosed(1000, "");
		assertThat(this.hub.size()).isZero();
		assertThat(counter("tutti.messages.sent", "type", "text")).isEqualTo(1);
		assertThat(counter("tutti.messages.sent.bytes", "type", "text")).isEqualTo(6);
		assertThat(counter("tutti.messages.sent", "type", "binary")).isEqualTo(1);
		assertThat(counter("tutti.messages.sent.bytes", "type", "binary")).isEqualTo(5);
		assertThat(counter("tutti.writes")).isEqualTo(2);
	}

	@Test
	void countsDropsByReasonAndTheQueuedMessages() {
		TestConnection stalled = open().hold();
		Session session = stalled.session();
		session.write("in flight");
		session.write("queued 1");
		session.write("queued 2");
		session.write("dropped");
		assertThat(counter("tutti.messages.dropped", "reason", "buffer-full")).isEqualTo(1);
		assertThat(gauge("tutti.outbound.queued")).isEqualTo(2);
		stalled.listener().onClosed(1001, "");
		assertThat(counter("tutti.messages.dropped", "reason", "session-closed")).isEqualTo(2);
		stalled.failHeld(new IOException("Broken pipe"));
		assertThat(counter("tutti.messages.dropped", "reason", "write-failed")).isEqualTo(1);
	}

	@Test
	void recordsEachBroadcastOnce() {
		open();
		open();
		open().session().join("lobby");
		this.hub.broadcast("to all");
		this.hub.room("lobby").broadcast("to the lobby");
		assertThat(counter("tutti.broadcasts")).isEqualTo(2);
		assertThat(this.registry.get("tutti.broadcast.recipients").summary().totalAmount()).isEqualTo(4);
		assertThat(this.registry.get("tutti.broadcast.duration").timer().count()).isEqualTo(2);
		assertThat(gauge("tutti.rooms.active")).isEqualTo(1);
	}

	@Test
	void recordsTheHeartbeatRoundTrip() {
		open().autoPong();
		await().untilAsserted(() -> assertThat(this.registry.get("tutti.heartbeat.rtt").timer().count()).isPositive());
	}

	@Test
	void countsHandlerErrorsByHandlerButNotUndecodableMessages() {
		this.hub.onConnect((session) -> {
			throw new IllegalStateException("connect failed");
		});
		this.hub.codec(new TypedMessageTests.LineCodec());
		this.hub.onMessage("chat", TypedMessageTests.Chat.class, (session, chat) -> {
			throw new IllegalStateException("chat failed");
		});
		TestConnection connection = open();
		connection.listener().onText("chat:hi", true);
		connection.listener().onText("nonsense:x", true);
		assertThat(counter("tutti.handler.errors", "handler", "connect")).isEqualTo(1);
		assertThat(counter("tutti.handler.errors", "handler", "message")).isEqualTo(1);
	}

	@Test
	void aHubWithoutMetricsRecordsNothing() {
		Hub plain = Hub.create();
		try {
			TestConnection connection = new TestConnection();
			connection.open(plain);
			plain.broadcast("x");
			assertThat(plain.metrics().recorder()).isSameAs(HubMetrics.Recorder.NONE);
		}
		finally {
			plain.close();
		}
	}

	private TestConnection open() {
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		return connection;
	}

	/**
	 * Return the count of a counter or function counter.
	 */
	private double counter(String name, String... tags) {
		return this.registry.get(name).tags(tags).meter().measure().iterator().next().getValue();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

}
