package dev.tutti;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Random interleavings of connect, write, broadcast (to every kind of target), join,
 * leave, close and disconnect from several threads against one hub with in-memory
 * connections, checking at quiescence that the registry and the rooms agree,
 * {@code onConnect} and {@code onDisconnect} ran exactly once per session (neither for a
 * session closed before its connection opened), each session received every producer's
 * messages in the order they were offered, and every message offered to a session was
 * either delivered to it or counted as dropped.
 * <p>
 * Each trial is a seed: a failure names it, and {@code -Dtutti.interleavings.seed=N}
 * replays that trial alone (the threads' interleaving differs between runs, the
 * operations they perform do not).
 */
class InterleavingTests {

	private static final int TRIALS = 16;

	private static final int THREADS = 4;

	private static final int OPERATIONS_PER_THREAD = 400;

	private static final List<String> ROOMS = List.of("a", "b", "c", "d");

	@Test
	void invariantsHoldAfterRandomInterleavings() throws Exception {
		String replay = System.getProperty("tutti.interleavings.seed");
		long first = (replay != null) ? Long.parseLong(replay) : new Random().nextLong();
		int trials = (replay != null) ? 1 : TRIALS;
		for (int i = 0; i < trials; i++) {
			long seed = first + i;
			try {
				new Trial(seed).run();
			}
			catch (Throwable ex) {
				fail("Trial failed; replay with -Dtutti.interleavings.seed=" + seed + ": " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * One trial: a hub, its threads' operations drawn from one seed, and the checks.
	 */
	private static final class Trial {

		private final long seed;

		private final OverflowPolicy policy;

		private final Hub hub;

		private final List<Client> clients = new CopyOnWriteArrayList<>();

		private final Map<String, AtomicInteger> connects = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> disconnects = new ConcurrentHashMap<>();

		/** How many sessions each message was offered to, by message. */
		private final Map<String, AtomicInteger> offered = new ConcurrentHashMap<>();

		private final AtomicLong dropped = new AtomicLong();

		Trial(long seed) {
			this.seed = seed;
			Random random = new Random(seed);
			OverflowPolicy[] policies = OverflowPolicy.values();
			this.policy = policies[random.nextInt(policies.length)];
			this.hub = Hub.create(
					HubConfig.builder().outboundBufferSize(1 + random.nextInt(16)).overflowPolicy(this.policy).build());
			this.hub.metrics().bind(new HubMetrics.Recorder() {

				@Override
				public void dropped(String reason, int messages) {
					Trial.this.dropped.addAndGet(messages);
				}

			});
			this.hub.onConnect((session) -> count(this.connects, session.id()));
			this.hub.onDisconnect((session, status) -> count(this.disconnects, session.id()));
			this.hub.onError((session, error) -> {
			});
		}

		void run() throws Exception {
			ExecutorService threads = Executors.newFixedThreadPool(THREADS);
			try {
				CyclicBarrier start = new CyclicBarrier(THREADS);
				List<Future<?>> done = new ArrayList<>();
				for (int t = 0; t < THREADS; t++) {
					Producer producer = new Producer(t, new Random(this.seed * 31 + t));
					done.add(threads.submit(() -> {
						start.await();
						producer.run();
						return null;
					}));
				}
				for (Future<?> future : done) {
					future.get(30, TimeUnit.SECONDS);
				}
			}
			finally {
				threads.shutdownNow();
			}
			quiesce();
			checkRegistryAndRooms();
			checkOrderAndAccounting();
			checkConnectAndDisconnect(false);
			this.hub.close();
			reportPeerCloses();
			assertThat(this.hub.awaitTermination(Duration.ofSeconds(10))).isTrue();
			checkConnectAndDisconnect(true);
			assertThat(this.hub.rooms()).isEmpty();
			checkOrderAndAccounting();
		}

		/**
		 * Let every send complete and answer the close frames the hub sent, as a peer
		 * would, then wait until every offered message is delivered or dropped.
		 */
		private void quiesce() {
			this.clients.forEach((client) -> client.connection.release());
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
				reportPeerCloses();
				assertThat(delivered() + this.dropped.get()).as("delivered + dropped").isEqualTo(offeredTotal());
			});
		}

		private void reportPeerCloses() {
			for (Client client : this.clients) {
				List<CloseStatus> closes = client.connection.closes();
				if (!closes.isEmpty()) {
					client.connection.listener().onClosed(closes.get(0).code(), closes.get(0).reason());
				}
			}
		}

		/**
		 * {@code onConnect} ran at most once per session, and not at all only for a
		 * session closed before its connection opened (an overflow that closes, from
		 * broadcasts queued during its upgrade); {@code onDisconnect} ran once for every
		 * session that connected and has closed, and never for one that did not connect.
		 */
		private void checkConnectAndDisconnect(boolean allClosed) {
			for (Client client : this.clients) {
				Session session = client.session();
				int connected = count(this.connects, session.id(), 0);
				assertThat(connected).as("onConnect of %s", session).isLessThanOrEqualTo(1);
				if (connected == 0) {
					assertThat(session.isClosed()).as("%s without onConnect is closed", session).isTrue();
					assertThat(this.policy).as("%s closed before it opened", session).isEqualTo(OverflowPolicy.CLOSE);
				}
				if (allClosed) {
					assertThat(session.isClosed()).as("%s closed with the hub", session).isTrue();
				}
				int expected = (connected == 1 && session.isClosed()) ? 1 : 0;
				assertThat(count(this.disconnects, session.id(), 0)).as("onDisconnect of %s", session)
					.isEqualTo(expected);
			}
		}

		private void checkRegistryAndRooms() {
			Set<Session> open = new HashSet<>(this.hub.sessions());
			for (Client client : this.clients) {
				Session session = client.session();
				assertThat(open.contains(session)).as("%s registered", session).isEqualTo(!session.isClosed());
				Set<String> expectedRooms = session.isClosed() ? Set.of() : client.rooms;
				assertThat(session.rooms()).as("rooms of %s", session).isEqualTo(expectedRooms);
				for (String room : ROOMS) {
					assertThat(this.hub.room(room).members().contains(session)).as("%s in room %s", session, room)
						.isEqualTo(expectedRooms.contains(room));
				}
			}
			Map<String, Integer> sizes = new HashMap<>();
			for (Session session : open) {
				session.rooms().forEach((room) -> sizes.merge(room, 1, Integer::sum));
			}
			assertThat(this.hub.rooms()).isEqualTo(sizes);
			assertThat(this.hub.size()).isEqualTo(open.size());
		}

		/**
		 * Each session received each producer's messages in the order that producer
		 * offered them, none twice, and what was offered was delivered or dropped.
		 */
		private void checkOrderAndAccounting() {
			Map<String, Integer> deliveries = new HashMap<>();
			for (Client client : this.clients) {
				Map<Integer, Integer> last = new HashMap<>();
				for (String text : client.connection.texts()) {
					String[] parts = text.split(":");
					int producer = Integer.parseInt(parts[0]);
					int sequence = Integer.parseInt(parts[1]);
					Integer previous = last.put(producer, sequence);
					assertThat(previous == null || previous < sequence)
						.as("%s received %s after %s:%s", client.session(), text, producer, previous)
						.isTrue();
					deliveries.merge(text, 1, Integer::sum);
				}
			}
			deliveries.forEach((text, count) -> assertThat(count).as("deliveries of %s", text)
				.isLessThanOrEqualTo(count(this.offered, text, 0)));
			assertThat(delivered() + this.dropped.get()).as("delivered + dropped").isEqualTo(offeredTotal());
		}

		private long delivered() {
			return this.clients.stream().mapToLong((client) -> client.connection.texts().size()).sum();
		}

		private long offeredTotal() {
			return this.offered.values().stream().mapToLong(AtomicInteger::get).sum();
		}

		/**
		 * One thread's operations. Each client's rooms are changed only by the producer
		 * that connected it, so the rooms it should be in are known.
		 */
		private final class Producer {

			private final int id;

			private final Random random;

			private final List<Client> own = new ArrayList<>();

			private int sequence;

			Producer(int id, Random random) {
				this.id = id;
				this.random = random;
			}

			void run() {
				for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
					int operation = this.random.nextInt(100);
					if (operation < 8 || Trial.this.clients.isEmpty()) {
						connect();
					}
					else if (operation < 40) {
						write(any());
					}
					else if (operation < 60) {
						broadcast();
					}
					else if (operation < 80) {
						joinOrLeave();
					}
					else if (operation < 88) {
						Client client = any();
						if (this.random.nextBoolean()) {
							client.session().close();
						}
						else {
							Trial.this.hub.closeSession(client.session().id(), CloseStatus.GOING_AWAY);
						}
					}
					else if (operation < 94) {
						any().connection.listener().onClosed(this.random.nextBoolean() ? 1000 : 1006, "");
					}
					else {
						any().connection.listener().onText("ignored", true);
					}
				}
			}

			private void connect() {
				TestConnection connection = new TestConnection();
				switch (this.random.nextInt(3)) {
					case 0 -> connection.completeAsync();
					case 1 -> connection.hold();
					default -> {
					}
				}
				connection.open(Trial.this.hub);
				Client client = new Client(connection);
				this.own.add(client);
				Trial.this.clients.add(client);
			}

			private void write(Client client) {
				String message = next();
				try {
					client.session().write(message);
					count(Trial.this.offered, message);
				}
				catch (SessionClosedException ex) {
					// Not offered
				}
			}

			private void broadcast() {
				String message = next();
				Session some = any().session();
				Hub hub = Trial.this.hub;
				BroadcastResult result = switch (this.random.nextInt(6)) {
					case 0 -> hub.broadcast(message);
					case 1 -> hub.room(ROOMS.get(this.random.nextInt(ROOMS.size()))).broadcast(message);
					case 2 -> hub.broadcastOthers(some, message);
					case 3 -> hub.broadcast(Target.sessions(some.id(), any().session().id()), message);
					case 4 -> hub.broadcastTo(List.of(some, any().session()), message);
					default -> hub.broadcastLocal((session) -> session.id().hashCode() % 2 == 0, message);
				};
				Trial.this.offered.computeIfAbsent(message, (key) -> new AtomicInteger())
					.addAndGet(result.recipients());
			}

			private void joinOrLeave() {
				if (this.own.isEmpty()) {
					return;
				}
				Client client = this.own.get(this.random.nextInt(this.own.size()));
				String room = ROOMS.get(this.random.nextInt(ROOMS.size()));
				if (this.random.nextBoolean()) {
					try {
						if (client.session().join(room)) {
							client.rooms.add(room);
						}
					}
					catch (SessionClosedException ex) {
						// A closed session joins nothing
					}
				}
				else if (client.session().leave(room)) {
					client.rooms.remove(room);
				}
			}

			private Client any() {
				List<Client> all = Trial.this.clients;
				return all.get(this.random.nextInt(all.size()));
			}

			private String next() {
				return this.id + ":" + this.sequence++;
			}

		}

	}

	private static final class Client {

		final TestConnection connection;

		/** The rooms its producer saw it join and not leave. */
		final Set<String> rooms = ConcurrentHashMap.newKeySet();

		Client(TestConnection connection) {
			this.connection = connection;
		}

		Session session() {
			return this.connection.session();
		}

	}

	private static void count(Map<String, AtomicInteger> counts, String key) {
		counts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	private static int count(Map<String, AtomicInteger> counts, String key, int absent) {
		AtomicInteger count = counts.get(key);
		return (count != null) ? count.get() : absent;
	}

}
