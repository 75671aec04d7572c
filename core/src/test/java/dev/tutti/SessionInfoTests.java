package dev.tutti;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Hub#sessionInfo()} and {@link Hub#closeSession(String, CloseStatus)}.
 */
class SessionInfoTests {

	private final Hub hub = Hub.create(HubConfig.builder().outboundBufferSize(2).build());

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void describesEachSession() {
		Instant before = Instant.now().minusMillis(1);
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		Session session = connection.session();
		session.join("lobby");
		session.write("in flight");
		session.write("queued 1");
		session.write("queued 2");
		session.write("dropped");

		SessionInfo info = this.hub.sessionInfo(session.id());

		assertThat(info).isNotNull();
		assertThat(info.id()).isEqualTo(session.id());
		assertThat(info.remoteAddress()).isEqualTo(session.remoteAddress());
		assertThat(info.principal()).isNull();
		assertThat(info.rooms()).containsExactly("lobby");
		assertThat(info.openedAt()).isBetween(before, Instant.now().plusMillis(1));
		assertThat(info.connected()).isTrue();
		assertThat(info.queuedMessages()).isEqualTo(2);
		assertThat(info.droppedMessages()).isEqualTo(1);
		assertThat(info.silence()).isGreaterThanOrEqualTo(Duration.ZERO);
		assertThat(this.hub.sessionInfo()).singleElement()
			.usingRecursiveComparison()
			.ignoringFields("silence")
			.isEqualTo(info);
	}

	@Test
	void aSessionWhoseConnectionHasNotOpenedIsNotConnected() {
		new TestConnection().handshake(this.hub);
		assertThat(this.hub.sessionInfo()).singleElement().satisfies((info) -> {
			assertThat(info.connected()).isFalse();
			assertThat(info.queuedMessages()).isZero();
		});
	}

	@Test
	void unknownSessionHasNoInfo() {
		assertThat(this.hub.sessionInfo("nobody")).isNull();
		assertThat(this.hub.closeSession("nobody", CloseStatus.NORMAL)).isFalse();
	}

	@Test
	void closesASessionById() {
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		CloseStatus kicked = new CloseStatus(4000, "Kicked by an operator");
		assertThat(this.hub.closeSession(connection.session().id(), kicked)).isTrue();
		assertThat(this.hub.size()).isZero();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(kicked));
	}

}
