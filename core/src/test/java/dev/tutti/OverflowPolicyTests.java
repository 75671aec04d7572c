package dev.tutti;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the overflow policies of a session's outbound buffer.
 */
class OverflowPolicyTests {

	private static final int CAPACITY = 4;

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

	private Hub hub;

	@AfterEach
	void closeHub() {
		if (this.hub != null) {
			this.hub.close();
		}
	}

	@Test
	void dropNewestDropsTheNewMessage() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_NEWEST);
		Session session = connection.session();
		assertThat(session.write("in flight")).isTrue();
		for (int i = 1; i <= CAPACITY; i++) {
			assertThat(session.write("queued " + i)).isTrue();
		}
		assertThat(session.write("dropped")).isFalse();
		CompletableFuture<Void> droppedAsync = session.writeAsync("dropped async").toCompletableFuture();
		assertThat(droppedAsync).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(BufferFullException.class);
		assertThat(this.errors).hasSize(2).allSatisfy((error) -> assertBufferFull(error, OverflowPolicy.DROP_NEWEST));
		assertThat(session.isClosed()).isFalse();
		connection.release();
		assertThat(connection.texts()).containsExactly("in flight", "queued 1", "queued 2", "queued 3", "queued 4");
		assertThat(session.write("after release")).isTrue();
		assertThat(connection.texts()).last().isEqualTo("after release");
	}

	@Test
	void dropNewestIsCountedByBroadcast() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_NEWEST);
		new TestConnection().open(this.hub);
		for (int i = 0; i <= CAPACITY; i++) {
			assertThat(this.hub.broadcast("m" + i)).isEqualTo(new BroadcastResult(2, 0));
		}
		assertThat(this.hub.broadcast("dropped")).isEqualTo(new BroadcastResult(2, 1));
		assertThat(this.hub.broadcastBinary(Target.all(), new byte[] { 1 })).isEqualTo(new BroadcastResult(2, 1));
		assertThat(this.errors).hasSize(2);
		connection.release();
		assertThat(connection.texts()).containsExactly("m0", "m1", "m2", "m3", "m4");
	}

	@Test
	void dropOldestEvictsTheOldestQueuedMessage() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_OLDEST);
		Session session = connection.session();
		assertThat(session.write("in flight")).isTrue();
		CompletableFuture<Void> oldest = session.writeAsync("queued 1").toCompletableFuture();
		for (int i = 2; i <= CAPACITY; i++) {
			assertThat(session.write("queued " + i)).isTrue();
		}
		assertThat(oldest).isNotDone();
		assertThat(session.write("newest")).isTrue();
		assertThat(oldest).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(BufferFullException.class);
		assertThat(this.errors).singleElement()
			.satisfies((error) -> assertBufferFull(error, OverflowPolicy.DROP_OLDEST));
		connection.release();
		assertThat(connection.texts()).containsExactly("in flight", "queued 2", "queued 3", "queued 4", "newest");
		assertThat(session.isClosed()).isFalse();
	}

	@Test
	void dropOldestIsCountedByBroadcast() {
		stalledSession(OverflowPolicy.DROP_OLDEST);
		for (int i = 0; i <= CAPACITY; i++) {
			assertThat(this.hub.broadcast("m" + i)).isEqualTo(new BroadcastResult(1, 0));
		}
		assertThat(this.hub.broadcast("newest")).isEqualTo(new BroadcastResult(1, 1));
	}

	@Test
	void closePolicyClosesTheSession() {
		TestConnection connection = stalledSession(OverflowPolicy.CLOSE);
		Session session = connection.session();
		for (int i = 0; i <= CAPACITY; i++) {
			assertThat(session.write("m" + i)).isTrue();
		}
		CompletableFuture<Void> queued = session.writeAsync("never").toCompletableFuture();
		assertThat(queued).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(BufferFullException.class);
		assertThat(session.isClosed()).isTrue();
		assertThat(this.errors).singleElement().satisfies((error) -> assertBufferFull(error, OverflowPolicy.CLOSE));
		assertThat(this.disconnects).containsExactly(CloseStatus.BUFFER_FULL);
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.BUFFER_FULL));
		assertThat(connection.closes().get(0).code()).isEqualTo(1008);
		assertThat(connection.closes().get(0).reason()).isEqualTo("Outbound buffer full");
		assertThat(this.hub.size()).isZero();
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.write("late"));
	}

	@Test
	void closePolicyReturnsFalseAndIsCountedByBroadcast() {
		TestConnection connection = stalledSession(OverflowPolicy.CLOSE);
		TestConnection healthy = new TestConnection();
		healthy.open(this.hub);
		for (int i = 0; i <= CAPACITY; i++) {
			this.hub.broadcast("m" + i);
		}
		assertThat(this.hub.broadcast("overflow")).isEqualTo(new BroadcastResult(2, 1));
		assertThat(connection.session().isClosed()).isTrue();
		assertThat(this.hub.broadcast("next")).isEqualTo(new BroadcastResult(1, 0));
		assertThat(healthy.texts()).hasSize(CAPACITY + 3);
		assertThat(this.disconnects).containsExactly(CloseStatus.BUFFER_FULL);
	}

	@Test
	void closePolicyWriteReturnsFalse() {
		TestConnection connection = stalledSession(OverflowPolicy.CLOSE);
		Session session = connection.session();
		for (int i = 0; i <= CAPACITY; i++) {
			session.write("m" + i);
		}
		assertThat(session.write("overflow")).isFalse();
		assertThat(session.isClosed()).isTrue();
	}

	private TestConnection stalledSession(OverflowPolicy policy) {
		this.hub = Hub.create(HubConfig.builder().outboundBufferSize(CAPACITY).overflowPolicy(policy).build());
		this.hub.onError((session, error) -> this.errors.add(error));
		this.hub.onDisconnect((session, status) -> this.disconnects.add(status));
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		return connection;
	}

	private static void assertBufferFull(Throwable error, OverflowPolicy policy) {
		assertThat(error).isInstanceOfSatisfying(BufferFullException.class, (ex) -> {
			assertThat(ex.getPolicy()).isEqualTo(policy);
			assertThat(ex.getCloseStatus()).isEqualTo(CloseStatus.BUFFER_FULL);
			assertThat(ex).hasMessageContaining("(" + CAPACITY + " messages)");
		});
	}

}
