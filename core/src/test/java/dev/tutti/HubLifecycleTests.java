package dev.tutti;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the hub's registry and lifecycle: closing, sizes under concurrency and the
 * order of connect and disconnect handlers.
 */
class HubLifecycleTests {

	private final Hub hub = Hub.create();

	private final Map<Session, List<CloseStatus>> disconnects = new ConcurrentHashMap<>();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	HubLifecycleTests() {
		this.hub.onDisconnect(
				(session, status) -> this.disconnects.computeIfAbsent(session, (key) -> new CopyOnWriteArrayList<>())
					.add(status));
		this.hub.onError((session, error) -> this.errors.add(error));
	}

	@AfterEach
	void closeHub() {
		this.executor.shutdownNow();
		this.hub.close();
	}

	@Test
	void closeClosesEverySessionWithGoingAway() {
		List<TestConnection> connections = openSessions(10);
		assertThat(this.hub.size()).isEqualTo(10);
		this.hub.close();
		assertThat(this.hub.isClosed()).isTrue();
		assertThat(this.hub.size()).isZero();
		assertThat(this.hub.sessions()).isEmpty();
		assertThat(this.disconnects).hasSize(10)
			.allSatisfy((session, statuses) -> assertThat(statuses).containsExactly(CloseStatus.GOING_AWAY));
		assertThat(connections).allSatisfy((connection) -> assertThat(connection.session().isClosed()).isTrue());
		await().untilAsserted(() -> assertThat(connections)
			.allSatisfy((connection) -> assertThat(connection.closes()).containsExactly(CloseStatus.GOING_AWAY)));
		assertThat(this.errors).isEmpty();
	}

	@Test
	void closeWithStatusClosesEverySessionWithThatStatus() {
		List<TestConnection> connections = openSessions(10);
		CloseStatus status = new CloseStatus(4100, "maintenance");
		this.hub.close(status);
		this.hub.close();
		assertThat(this.hub.size()).isZero();
		assertThat(this.disconnects).hasSize(10)
			.allSatisfy((session, statuses) -> assertThat(statuses).containsExactly(status));
		await().untilAsserted(() -> assertThat(connections)
			.allSatisfy((connection) -> assertThat(connection.closes()).containsExactly(status)));
	}

	@Test
	void closeFlushesQueuedMessages() {
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		this.hub.broadcast("one");
		this.hub.broadcast("two");
		this.hub.close();
		connection.release();
		await()
			.untilAsserted(() -> assertThat(connection.events()).containsExactly("text:one", "text:two", "close:1001"));
	}

	@Test
	void closeClosesStalledSessionsAfterWriteTimeout() {
		try (Hub hub = Hub.create(HubConfig.builder().writeTimeout(Duration.ofMillis(200)).build())) {
			TestConnection stalled = new TestConnection().hold();
			stalled.open(hub);
			TestConnection healthy = new TestConnection();
			healthy.open(hub);
			hub.broadcast("stuck");
			hub.close();
			assertThat(hub.size()).isZero();
			await().untilAsserted(() -> assertThat(healthy.closes()).containsExactly(CloseStatus.GOING_AWAY));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(stalled.closes()).containsExactly(CloseStatus.WRITE_TIMEOUT));
		}
	}

	@Test
	void awaitTerminationWaitsForTheCloseFrameAfterTheQueuedMessages() throws Exception {
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		this.hub.broadcast("one");
		this.hub.broadcast("two");
		this.hub.close();
		assertThat(this.hub.awaitTermination(Duration.ofMillis(100))).isFalse();
		assertThat(connection.closes()).isEmpty();
		connection.release();
		assertThat(this.hub.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(connection.events()).containsExactly("text:one", "text:two", "close:1001");
	}

	@Test
	void awaitTerminationWaitsForEverySession() throws Exception {
		List<TestConnection> connections = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			TestConnection connection = new TestConnection().completeAsync();
			connection.open(this.hub);
			connections.add(connection);
		}
		this.hub.broadcast("bye");
		this.hub.close();
		assertThat(this.hub.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(connections)
			.allSatisfy((connection) -> assertThat(connection.events()).containsExactly("text:bye", "close:1001"));
	}

	@Test
	void awaitTerminationWaitsForASessionClosedEarlierThatIsStillFlushing() throws Exception {
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		this.hub.broadcast("one");
		connection.session().close();
		this.hub.close();
		assertThat(this.hub.awaitTermination(Duration.ofMillis(100))).isFalse();
		connection.release();
		assertThat(this.hub.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(connection.events()).containsExactly("text:one", "close:1000");
	}

	@Test
	void awaitTerminationCountsAConnectionThatEndedWithoutTheCloseFrame() throws Exception {
		TestConnection connection = new TestConnection().hold();
		connection.open(this.hub);
		this.hub.broadcast("one");
		this.hub.close();
		connection.listener().onClosed(1006, "");
		assertThat(this.hub.awaitTermination(Duration.ZERO)).isTrue();
		assertThat(connection.closes()).isEmpty();
	}

	@Test
	void awaitTerminationEndsWhenAStalledSessionTimesOut() throws Exception {
		try (Hub hub = Hub.create(HubConfig.builder().writeTimeout(Duration.ofMillis(200)).build())) {
			TestConnection stalled = new TestConnection().hold();
			stalled.open(hub);
			hub.broadcast("stuck");
			hub.close();
			assertThat(hub.awaitTermination(Duration.ofSeconds(5))).isTrue();
			assertThat(stalled.closes()).containsExactly(CloseStatus.WRITE_TIMEOUT);
		}
	}

	@Test
	void awaitTerminationOfAClosedHubWithoutSessionsReturnsAtOnce() throws Exception {
		this.hub.close();
		assertThat(this.hub.awaitTermination(Duration.ZERO)).isTrue();
		assertThat(this.hub.awaitTermination(Duration.ofSeconds(-1))).isTrue();
	}

	@Test
	void awaitTerminationOfAnOpenHubTimesOut() throws Exception {
		new TestConnection().open(this.hub);
		assertThat(this.hub.awaitTermination(Duration.ofMillis(50))).isFalse();
		assertThat(this.hub.awaitTermination(Duration.ofSeconds(-1))).isFalse();
	}

	@Test
	void openOnClosedHubIsRefused() {
		this.hub.close();
		TestConnection connection = new TestConnection();
		assertThat(connection.handshake(this.hub).result().status()).isEqualTo(503);
		assertThat(this.hub.size()).isZero();
		assertThat(this.disconnects).isEmpty();
	}

	@Test
	void handshakeOnClosedHubIsRejectedWith503() {
		this.hub.close();
		HandshakeResult result = this.hub
			.handshake(new HandshakeRequest(URI.create("ws://localhost/ws"), Map.of(), null, null))
			.result();
		assertThat(result.accepted()).isFalse();
		assertThat(result.status()).isEqualTo(503);
	}

	@Test
	void sessionIsRegisteredWhenConnectHandlerRuns() {
		List<Boolean> registered = new CopyOnWriteArrayList<>();
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		List<Integer> recipients = new CopyOnWriteArrayList<>();
		this.hub.onConnect((session) -> {
			registered.add(this.hub.sessions().contains(session));
			sizes.add(this.hub.size());
			recipients.add(this.hub.broadcast("welcome").recipients());
		});
		TestConnection first = new TestConnection();
		first.open(this.hub);
		TestConnection second = new TestConnection();
		second.open(this.hub);
		assertThat(registered).containsExactly(true, true);
		assertThat(sizes).containsExactly(1, 2);
		assertThat(recipients).isEqualTo(sizes);
		assertThat(first.texts()).containsExactly("welcome", "welcome");
		assertThat(second.texts()).containsExactly("welcome");
	}

	@Test
	void disconnectHandlerRunsOnceAfterSessionLeftRegistry() {
		List<Boolean> registered = new CopyOnWriteArrayList<>();
		this.hub.onDisconnect((session, status) -> registered.add(this.hub.sessions().contains(session)));
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		Session session = connection.session();
		session.close();
		session.close(CloseStatus.SERVER_ERROR);
		connection.listener().onClosed(1000, "");
		connection.listener().onError(new IllegalStateException("late"));
		this.hub.close();
		assertThat(registered).containsExactly(false);
	}

	@Test
	void sessionClosedDuringConnectHandlerIsDisconnectedAfterIt() throws Exception {
		CountDownLatch connecting = new CountDownLatch(1);
		CountDownLatch proceed = new CountDownLatch(1);
		List<String> events = new CopyOnWriteArrayList<>();
		this.hub.onConnect((session) -> {
			events.add("connect start");
			connecting.countDown();
			proceed.await();
			events.add("connect end");
		});
		this.hub.onDisconnect((session, status) -> events.add("disconnect " + status.code()));
		TestConnection connection = new TestConnection();
		Future<?> opened = this.executor.submit(() -> connection.open(this.hub));
		assertThat(connecting.await(5, TimeUnit.SECONDS)).isTrue();
		this.hub.close();
		assertThat(this.hub.size()).isZero();
		assertThat(events).containsExactly("connect start");
		proceed.countDown();
		opened.get(5, TimeUnit.SECONDS);
		assertThat(events).containsExactly("connect start", "connect end", "disconnect 1001");
		assertThat(connection.session().isClosed()).isTrue();
		await().untilAsserted(() -> assertThat(connection.closes()).containsExactly(CloseStatus.GOING_AWAY));
	}

	@Test
	void sessionClosedByItsConnectHandlerIsDisconnectedOnce() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.hub.onConnect((session) -> {
			session.close(CloseStatus.POLICY_VIOLATION);
			events.add("connect end");
		});
		this.hub.onDisconnect((session, status) -> events.add("disconnect " + status.code()));
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		assertThat(events).containsExactly("connect end", "disconnect 1008");
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void sizeAndSessionsStayConsistentUnderConcurrentConnectAndDisconnect() throws Exception {
		int threads = 8;
		int perThread = 200;
		AtomicInteger opened = new AtomicInteger();
		AtomicInteger closed = new AtomicInteger();
		List<TestConnection> open = new CopyOnWriteArrayList<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			long seed = t;
			futures.add(this.executor.submit(() -> {
				Random random = new Random(seed);
				List<TestConnection> mine = new ArrayList<>();
				start.await();
				for (int i = 0; i < perThread; i++) {
					if (mine.isEmpty() || random.nextInt(3) > 0) {
						TestConnection connection = new TestConnection();
						connection.open(this.hub);
						mine.add(connection);
						opened.incrementAndGet();
					}
					else {
						TestConnection connection = mine.remove(random.nextInt(mine.size()));
						if (random.nextBoolean()) {
							connection.session().close();
						}
						else {
							connection.listener().onClosed(1001, "");
						}
						closed.incrementAndGet();
					}
					this.hub.size();
					this.hub.sessions();
				}
				open.addAll(mine);
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(10, TimeUnit.SECONDS);
		}
		assertThat(this.hub.size()).isEqualTo(opened.get() - closed.get()).isEqualTo(open.size());
		assertThat(this.hub.sessions())
			.containsExactlyInAnyOrderElementsOf(open.stream().map(TestConnection::session).toList());
		assertThat(this.disconnects).hasSize(closed.get())
			.allSatisfy((session, statuses) -> assertThat(statuses).hasSize(1));
	}

	@Test
	void openRacingCloseLeavesNoSessionRegistered() throws Exception {
		int threads = 8;
		Map<Session, AtomicInteger> connects = new ConcurrentHashMap<>();
		this.hub
			.onConnect((session) -> connects.computeIfAbsent(session, (key) -> new AtomicInteger()).incrementAndGet());
		List<TestConnection> accepted = new CopyOnWriteArrayList<>();
		AtomicInteger refused = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			futures.add(this.executor.submit(() -> {
				start.await();
				while (true) {
					TestConnection connection = new TestConnection();
					try {
						connection.open(this.hub);
						accepted.add(connection);
					}
					catch (IllegalStateException ex) {
						refused.incrementAndGet();
						return null;
					}
				}
			}));
		}
		start.countDown();
		await().until(() -> accepted.size() >= 200);
		this.hub.close();
		for (Future<?> future : futures) {
			future.get(10, TimeUnit.SECONDS);
		}
		assertThat(refused).hasValue(threads);
		assertThat(this.hub.size()).isZero();
		assertThat(this.hub.sessions()).isEmpty();
		assertThat(accepted).allSatisfy((connection) -> assertThat(connection.session().isClosed()).isTrue());
		await().untilAsserted(() -> assertThat(accepted)
			.allSatisfy((connection) -> assertThat(connection.closes()).containsExactly(CloseStatus.GOING_AWAY)));
		// A session whose handshake was accepted just before the close opens closed: it
		// runs neither connect nor disconnect handlers.
		assertThat(connects).hasSizeGreaterThanOrEqualTo(accepted.size() - threads)
			.allSatisfy((session, count) -> assertThat(count).hasValue(1));
		assertThat(this.disconnects).containsOnlyKeys(connects.keySet())
			.allSatisfy((session, statuses) -> assertThat(statuses).containsExactly(CloseStatus.GOING_AWAY));
	}

	@Test
	void closeRacingTheFirstConnectionStillTimesOutItsStalledFlush() throws Exception {
		for (int i = 0; i < 50; i++) {
			Hub hub = Hub.create(HubConfig.builder().writeTimeout(Duration.ofMillis(50)).build());
			TestConnection connection = new TestConnection().hold();
			CountDownLatch start = new CountDownLatch(1);
			Future<?> opening = this.executor.submit(() -> {
				start.await();
				connection.open(hub);
				connection.session().write("stalled");
				return null;
			});
			start.countDown();
			hub.close();
			try {
				opening.get(5, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				// Refused: the hub closed first
				assertThat(ex.getCause()).isInstanceOfAny(IllegalStateException.class, SessionClosedException.class);
			}
			assertThat(hub.awaitTermination(Duration.ofSeconds(5))).isTrue();
		}
	}

	private List<TestConnection> openSessions(int count) {
		List<TestConnection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			TestConnection connection = new TestConnection();
			connection.open(this.hub);
			connections.add(connection);
		}
		return connections;
	}

}
