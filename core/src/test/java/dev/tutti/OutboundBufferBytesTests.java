package dev.tutti;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the byte bound of a session's outbound buffer
 * ({@link HubConfig#outboundBufferBytes()}) under each overflow policy.
 */
class OutboundBufferBytesTests {

	private static final int BOUND = 100;

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private Hub hub;

	@AfterEach
	void closeHub() {
		if (this.hub != null) {
			this.hub.close();
		}
	}

	@Test
	void dropNewestDropsAMessageThatWouldPassTheBound() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_NEWEST, BOUND);
		Session session = connection.session();
		assertThat(session.write("in flight")).isTrue();
		assertThat(session.write("a".repeat(40))).isTrue();
		assertThat(session.write("b".repeat(60))).isTrue();
		assertThat(writer(session).queuedBytes()).isEqualTo(BOUND);
		assertThat(session.write("c")).isFalse();
		assertThat(writer(session).queuedBytes()).isEqualTo(BOUND);
		assertThat(this.errors).singleElement()
			.satisfies((error) -> assertBufferFull(error, OverflowPolicy.DROP_NEWEST));
		assertThat(droppedCounter()).isEqualTo(1);
		connection.release();
		assertThat(connection.texts()).containsExactly("in flight", "a".repeat(40), "b".repeat(60));
		assertThat(writer(session).queuedBytes()).isZero();
		assertThat(session.isClosed()).isFalse();
	}

	@Test
	void dropOldestEvictsAsManyMessagesAsItTakesToMakeRoom() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_OLDEST, BOUND);
		Session session = connection.session();
		session.write("in flight");
		CompletableFuture<Void> first = session.writeAsync("1".repeat(30)).toCompletableFuture();
		CompletableFuture<Void> second = session.writeAsync("2".repeat(30)).toCompletableFuture();
		session.write("3".repeat(30));
		assertThat(this.hub.broadcast("4".repeat(70))).isEqualTo(new BroadcastResult(1, 1));
		assertThat(first).isCompletedExceptionally();
		assertThat(second).isCompletedExceptionally();
		assertThat(writer(session).queuedBytes()).isEqualTo(BOUND);
		assertThat(this.errors).singleElement()
			.satisfies((error) -> assertBufferFull(error, OverflowPolicy.DROP_OLDEST));
		assertThat(droppedCounter()).isEqualTo(2);
		connection.release();
		assertThat(connection.texts()).containsExactly("in flight", "3".repeat(30), "4".repeat(70));
	}

	@Test
	void closePolicyClosesTheSessionWith1008() {
		TestConnection connection = stalledSession(OverflowPolicy.CLOSE, BOUND);
		Session session = connection.session();
		session.write("in flight");
		session.writeBinary(new byte[BOUND]);
		assertThat(session.writeBinary(new byte[1])).isFalse();
		assertThat(session.isClosed()).isTrue();
		assertThat(this.errors).singleElement().satisfies((error) -> assertBufferFull(error, OverflowPolicy.CLOSE));
		assertThat(this.disconnects).containsExactly(CloseStatus.BUFFER_FULL);
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.BUFFER_FULL));
	}

	@Test
	void anEmptyBufferTakesAMessageLargerThanTheBound() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_NEWEST, BOUND);
		Session session = connection.session();
		session.write("in flight");
		assertThat(session.writeBinary(new byte[3 * BOUND])).isTrue();
		assertThat(session.writeBinary(new byte[1])).isFalse();
		connection.release();
		assertThat(connection.binaries()).hasSize(1).first().satisfies((data) -> assertThat(data).hasSize(3 * BOUND));
	}

	@Test
	void countsTextInUtf8Bytes() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_NEWEST, 10);
		Session session = connection.session();
		session.write("in flight");
		assertThat(session.write("éééé")).isTrue();
		assertThat(writer(session).queuedBytes()).isEqualTo(8);
		// 6 characters, 12 bytes
		assertThat(session.write("éé")).isFalse();
		assertThat(session.write("ab")).isTrue();
	}

	@Test
	void reportsTheQueuedBytes() {
		TestConnection connection = stalledSession(OverflowPolicy.DROP_NEWEST, BOUND);
		connection.session().write("in flight");
		this.hub.broadcast("é".repeat(20));
		assertThat(this.registry.get("tutti.outbound.queued.bytes").gauge().value()).isEqualTo(40);
	}

	@Test
	void aClientThatDoesNotReadHoldsNoMoreThanTheBound() {
		int megabyte = 1024 * 1024;
		this.hub = Hub.create(HubConfig.builder().outboundBufferBytes(4L * megabyte).build());
		this.hub.onError((session, error) -> this.errors.add(error));
		TestConnection stalled = new TestConnection().hold();
		stalled.open(this.hub);
		SessionWriter writer = writer(stalled.session());
		long before = usedHeapAfterGc();
		byte[] payload = new byte[megabyte];
		long maxQueued = 0;
		for (int i = 0; i < 128; i++) {
			this.hub.broadcastBinary(Target.all(), payload);
			maxQueued = Math.max(maxQueued, writer.queuedBytes());
		}
		long retained = usedHeapAfterGc() - before;
		assertThat(maxQueued).isLessThanOrEqualTo(4L * megabyte);
		assertThat(writer.queued()).isEqualTo(4);
		// The message count bound alone (256) would keep all 128 MiB
		assertThat(retained).isLessThan(32L * megabyte);
		assertThat(this.errors).hasSize(128 - 5);
		assertThat(stalled.session().isClosed()).isFalse();
	}

	private TestConnection stalledSession(OverflowPolicy policy, long bound) {
		this.hub = Hub.create(HubConfig.builder().outboundBufferBytes(bound).overflowPolicy(policy).build());
		new TuttiHubMetrics(this.hub).bindTo(this.registry);
		this.hub.onError((session, error) -> this.errors.add(error));
		this.hub.onDisconnect((session, status) -> this.disconnects.add(status));
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		return connection;
	}

	private static SessionWriter writer(Session session) {
		return ((DefaultSession) session).writer();
	}

	private double droppedCounter() {
		return this.registry.get("tutti.messages.dropped").tag("reason", "buffer-full").counter().count();
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		// Twice: a collection may leave what the previous one queued for finalizing
		for (int i = 0; i < 2; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	private void assertBufferFull(Throwable error, OverflowPolicy policy) {
		assertThat(error).isInstanceOfSatisfying(BufferFullException.class, (ex) -> {
			assertThat(ex.getPolicy()).isEqualTo(policy);
			assertThat(ex.getCloseStatus()).isEqualTo(CloseStatus.BUFFER_FULL);
			assertThat(ex).hasMessageContaining("(" + BOUND + " bytes)");
		});
	}

}
