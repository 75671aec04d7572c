package dev.tutti;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for writing to a session: closed sessions, tracked writes, ordering, graceful
 * close and write timeouts.
 */
class SessionWriteTests {

	private final List<Hub> hubs = new ArrayList<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final List<CloseStatus> disconnects = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeHubs() {
		this.hubs.forEach(Hub::close);
	}

	@Test
	void writeToSessionClosedByServerThrows() {
		Session session = open(hub(HubConfig.defaults()), new TestConnection());
		session.close();
		assertThat(session.isClosed()).isTrue();
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.write("late"))
			.withMessageContaining(session.id());
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.writeBinary(new byte[] { 1 }));
	}

	@Test
	void writeToSessionClosedByPeerThrows() {
		TestConnection connection = new TestConnection();
		Session session = open(hub(HubConfig.defaults()), connection);
		connection.listener().onClosed(1000, "");
		assertThat(session.isClosed()).isTrue();
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.write("late"));
		assertThatExceptionOfType(SessionClosedException.class)
			.isThrownBy(() -> session.write("late", Duration.ofSeconds(1)));
		assertThatExceptionOfType(SessionClosedException.class)
			.isThrownBy(() -> session.writeBinary(new byte[] { 1 }, Duration.ofSeconds(1)));
		assertThat(connection.texts()).isEmpty();
	}

	@Test
	void writeAsyncToClosedSessionFails() {
		TestConnection connection = new TestConnection();
		Session session = open(hub(HubConfig.defaults()), connection);
		connection.listener().onClosed(1001, "");
		CompletableFuture<Void> text = session.writeAsync("late").toCompletableFuture();
		CompletableFuture<Void> binary = session.writeBinaryAsync(new byte[] { 1 }).toCompletableFuture();
		assertThat(text).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionClosedException.class);
		assertThat(binary).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionClosedException.class);
	}

	@Test
	void writeAsyncCompletesOnlyAfterFrameIsWritten() {
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub(HubConfig.defaults()), connection);
		CompletableFuture<Void> written = session.writeAsync("hello").toCompletableFuture();
		assertThat(connection.texts()).containsExactly("hello");
		assertThat(written).isNotDone();
		connection.release();
		assertThat(written).isCompleted();
	}

	@Test
	void writeBinaryAsyncCompletesOnlyAfterFrameIsWritten() {
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub(HubConfig.defaults()), connection);
		CompletableFuture<Void> written = session.writeBinaryAsync(new byte[] { 1, 2, 3 }).toCompletableFuture();
		assertThat(connection.binaries()).containsExactly(new byte[] { 1, 2, 3 });
		assertThat(written).isNotDone();
		connection.release();
		assertThat(written).isCompleted();
	}

	@Test
	void writeAsyncFailsWithTransportError() {
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub(HubConfig.defaults()), connection);
		CompletableFuture<Void> written = session.writeAsync("hello").toCompletableFuture();
		CompletableFuture<Void> queued = session.writeAsync("queued").toCompletableFuture();
		IllegalStateException failure = new IllegalStateException("reset");
		connection.failHeld(failure);
		assertThat(written).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class).withCause(failure);
		assertThat(queued).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionClosedException.class);
		assertThat(this.errors).containsExactly(failure);
		await().untilAsserted(() -> assertThat(connection.closes()).singleElement()
			.satisfies((status) -> assertThat(status.code()).isEqualTo(1011)));
		assertThat(this.disconnects).singleElement().satisfies((status) -> assertThat(status.code()).isEqualTo(1011));
	}

	@Test
	void writeCopiesBinaryMessage() {
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub(HubConfig.defaults()), connection);
		byte[] data = { 1, 2, 3 };
		session.writeBinary(new byte[] { 0 });
		session.writeBinary(data);
		data[0] = 9;
		connection.release();
		assertThat(connection.binaries()).containsExactly(new byte[] { 0 }, new byte[] { 1, 2, 3 });
	}

	@Test
	void sentHandlersReceivePayloadAfterCompletion() {
		Hub hub = hub(HubConfig.defaults());
		List<String> sentTexts = new CopyOnWriteArrayList<>();
		List<byte[]> sentBinaries = new CopyOnWriteArrayList<>();
		hub.onSentMessage((session, text) -> sentTexts.add(text));
		hub.onSentBinaryMessage((session, data) -> sentBinaries.add(data));
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		session.write("one");
		session.writeBinary(new byte[] { 2 });
		session.write("three");
		assertThat(sentTexts).isEmpty();
		assertThat(sentBinaries).isEmpty();
		connection.release();
		assertThat(sentTexts).containsExactly("one", "three");
		assertThat(sentBinaries).containsExactly(new byte[] { 2 });
	}

	@Test
	void sentHandlerIsNotCalledForFailedWrite() {
		Hub hub = hub(HubConfig.defaults());
		List<String> sentTexts = new CopyOnWriteArrayList<>();
		hub.onSentMessage((session, text) -> sentTexts.add(text));
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		session.write("lost");
		connection.failHeld(new IllegalStateException("reset"));
		assertThat(sentTexts).isEmpty();
	}

	@Test
	void closeFlushesQueuedMessagesBeforeCloseFrame() {
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub(HubConfig.defaults()), connection);
		session.write("one");
		session.write("two");
		session.write("three");
		session.close();
		assertThat(this.disconnects).containsExactly(CloseStatus.NORMAL);
		assertThat(connection.closes()).isEmpty();
		connection.release();
		await().untilAsserted(() -> assertThat(connection.events()).containsExactly("text:one", "text:two",
				"text:three", "close:1000"));
	}

	@Test
	void closeOfStalledSessionClosesConnectionAfterWriteTimeout() {
		Hub hub = hub(HubConfig.builder().writeTimeout(Duration.ofMillis(200)).build());
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		session.write("stalled");
		CompletableFuture<Void> queued = session.writeAsync("queued").toCompletableFuture();
		session.close();
		assertThat(this.disconnects).containsExactly(CloseStatus.NORMAL);
		assertThat(hub.size()).isZero();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.WRITE_TIMEOUT));
		assertThat(queued).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionClosedException.class);
		assertThat(connection.texts()).containsExactly("stalled");
		assertThat(this.disconnects).containsExactly(CloseStatus.NORMAL);
	}

	@Test
	void connectionLostDuringFlushFailsQueuedWrites() {
		Hub hub = hub(HubConfig.builder().writeTimeout(Duration.ofMillis(500)).build());
		List<CloseStatus> peerCloses = new CopyOnWriteArrayList<>();
		hub.onClose((session, status) -> peerCloses.add(status));
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		session.write("stalled");
		CompletableFuture<Void> queued = session.writeAsync("queued").toCompletableFuture();
		session.close();
		connection.listener().onClosed(1006, "");
		assertThat(queued).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionClosedException.class);
		connection.failHeld(new IllegalStateException("closed"));
		await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> connection.closes().isEmpty());
		assertThat(connection.texts()).containsExactly("stalled");
		assertThat(peerCloses).isEmpty();
		assertThat(this.errors).isEmpty();
		assertThat(this.disconnects).containsExactly(CloseStatus.NORMAL);
	}

	@Test
	void closeOfSessionThatCatchesUpSendsCloseFrameOnce() {
		Hub hub = hub(HubConfig.builder().writeTimeout(Duration.ofMillis(500)).build());
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		session.write("slow");
		session.close(CloseStatus.POLICY_VIOLATION);
		connection.release();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.POLICY_VIOLATION));
		await().during(Duration.ofMillis(700))
			.atMost(Duration.ofSeconds(5))
			.until(() -> connection.closes().size() == 1);
	}

	@Test
	void keepsOrderOfEachWriterUnderConcurrentWrites() throws Exception {
		int writers = 8;
		int messages = 125;
		Hub hub = hub(HubConfig.builder().outboundBufferSize(writers * messages).build());
		TestConnection connection = new TestConnection().completeAsync();
		Session session = open(hub, connection);
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int writer = 0; writer < writers; writer++) {
				int id = writer;
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 1; i <= messages; i++) {
						assertThat(session.write(id + ":" + i)).isTrue();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(5, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(connection.texts()).hasSize(writers * messages));
		Map<String, Integer> last = new HashMap<>();
		for (String text : connection.texts()) {
			String[] parts = text.split(":");
			int sequence = Integer.parseInt(parts[1]);
			assertThat(sequence).isEqualTo(last.getOrDefault(parts[0], 0) + 1);
			last.put(parts[0], sequence);
		}
		assertThat(last).hasSize(writers).allSatisfy((writer, sequence) -> assertThat(sequence).isEqualTo(messages));
		assertThat(connection.maxSendsInFlight()).isOne();
		assertThat(this.errors).isEmpty();
	}

	@Test
	void sendsOneFrameAtATime() {
		TestConnection connection = new TestConnection().completeAsync();
		Session session = open(hub(HubConfig.defaults()), connection);
		for (int i = 0; i < 100; i++) {
			session.write(String.valueOf(i));
			session.writeBinary(new byte[] { (byte) i });
		}
		await().untilAsserted(() -> assertThat(connection.events()).hasSize(200));
		assertThat(connection.maxSendsInFlight()).isOne();
	}

	@Test
	void closesSessionWhoseWriteTimesOut() {
		Hub hub = hub(HubConfig.builder().writeTimeout(Duration.ofMillis(200)).build());
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		assertThat(session.write("stalled")).isTrue();
		CompletableFuture<Void> queued = session.writeAsync("queued").toCompletableFuture();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.disconnects).containsExactly(CloseStatus.WRITE_TIMEOUT));
		assertThat(session.isClosed()).isTrue();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.WRITE_TIMEOUT));
		assertThat(hub.size()).isZero();
		assertThat(queued).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.withCauseInstanceOf(SessionClosedException.class);
		assertThat(connection.texts()).containsExactly("stalled");
	}

	@Test
	void closesSessionWhoseWriteExceedsItsOwnTimeout() {
		Hub hub = hub(HubConfig.defaults());
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		long start = System.nanoTime();
		assertThat(session.write("stalled", Duration.ofMillis(200))).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.disconnects).containsExactly(CloseStatus.WRITE_TIMEOUT));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HubConfig.DEFAULT_WRITE_TIMEOUT);
		assertThat(session.isClosed()).isTrue();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.WRITE_TIMEOUT));
	}

	@Test
	void closesSessionWhoseBinaryWriteExceedsItsOwnTimeout() {
		Hub hub = hub(HubConfig.defaults());
		TestConnection connection = new TestConnection().hold();
		Session session = open(hub, connection);
		assertThat(session.writeBinary(new byte[] { 1 }, Duration.ofMillis(200))).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.disconnects).containsExactly(CloseStatus.WRITE_TIMEOUT));
		assertThat(session.isClosed()).isTrue();
	}

	@Test
	void keepsSessionWhoseWritesCompleteInTime() {
		Hub hub = hub(HubConfig.builder().writeTimeout(Duration.ofMillis(200)).build());
		TestConnection connection = new TestConnection();
		Session session = open(hub, connection);
		session.write("fast");
		session.writeBinary(new byte[] { 1 });
		assertThat(connection.events()).containsExactly("text:fast", "binary:1");
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> !session.isClosed());
		assertThat(this.disconnects).isEmpty();
	}

	@Test
	void closeSendsApplicationStatus() {
		TestConnection connection = new TestConnection();
		Session session = open(hub(HubConfig.defaults()), connection);
		CloseStatus status = new CloseStatus(4001, "kicked");
		session.close(status);
		session.close();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(status));
		assertThat(this.disconnects).containsExactly(status);
	}

	private Hub hub(HubConfig config) {
		Hub hub = Hub.create(config);
		hub.onError((session, error) -> this.errors.add(error));
		hub.onDisconnect((session, status) -> this.disconnects.add(status));
		this.hubs.add(hub);
		return hub;
	}

	private static Session open(Hub hub, TestConnection connection) {
		connection.open(hub);
		return connection.session();
	}

}
