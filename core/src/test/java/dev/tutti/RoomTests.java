package dev.tutti;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for rooms: membership, room broadcasts and presence callbacks.
 */
class RoomTests {

	private final Hub hub = Hub.create();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void roomBroadcastReachesOnlyMembers() {
		TestConnection alice = open();
		TestConnection bob = open();
		TestConnection carol = open();
		alice.session().join("lobby");
		bob.session().join("lobby");
		carol.session().join("kitchen");

		BroadcastResult result = this.hub.room("lobby").broadcast("hi lobby");

		assertThat(result).isEqualTo(new BroadcastResult(2, 0));
		assertThat(alice.texts()).containsExactly("hi lobby");
		assertThat(bob.texts()).containsExactly("hi lobby");
		assertThat(carol.texts()).isEmpty();
	}

	@Test
	void roomBroadcastOthersSkipsTheSender() {
		TestConnection alice = open();
		TestConnection bob = open();
		alice.session().join("lobby");
		bob.session().join("lobby");

		BroadcastResult result = this.hub.room("lobby").broadcastOthers(alice.session(), "from alice");

		assertThat(result.recipients()).isEqualTo(1);
		assertThat(alice.texts()).isEmpty();
		assertThat(bob.texts()).containsExactly("from alice");
	}

	@Test
	void roomBinaryBroadcastReachesMembers() {
		TestConnection alice = open();
		alice.session().join("lobby");
		open();

		this.hub.room("lobby").broadcastBinary(new byte[] { 7 });

		assertThat(alice.binaries()).containsExactly(new byte[] { 7 });
	}

	@Test
	void joiningTwiceIsANoOp() {
		List<String> joins = new CopyOnWriteArrayList<>();
		this.hub.onJoin((session, room) -> joins.add(room));
		Session session = open().session();

		assertThat(session.join("lobby")).isTrue();
		assertThat(session.join("lobby")).isFalse();

		assertThat(this.hub.room("lobby").size()).isEqualTo(1);
		assertThat(session.rooms()).containsExactly("lobby");
		assertThat(joins).containsExactly("lobby");
	}

	@Test
	void leavingReportsMembershipAndCallsOnLeave() {
		List<String> leaves = new CopyOnWriteArrayList<>();
		this.hub.onLeave((session, room) -> leaves.add(room));
		Session session = open().session();
		session.join("lobby");

		assertThat(session.leave("lobby")).isTrue();
		assertThat(session.leave("lobby")).isFalse();

		assertThat(leaves).containsExactly("lobby");
		assertThat(session.rooms()).isEmpty();
	}

	@Test
	void emptyRoomsDisappear() {
		Session alice = open().session();
		Session bob = open().session();
		alice.join("lobby");
		bob.join("lobby");
		alice.join("kitchen");
		assertThat(this.hub.rooms()).containsEntry("lobby", 2).containsEntry("kitchen", 1);

		alice.leave("kitchen");
		bob.close();

		assertThat(this.hub.rooms()).containsOnlyKeys("lobby").containsEntry("lobby", 1);
		assertThat(this.hub.room("kitchen").size()).isZero();
		assertThat(this.hub.room("kitchen").members()).isEmpty();
	}

	@Test
	void disconnectLeavesEveryRoomOnceBeforeOnDisconnect() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.hub.onLeave((session, room) -> events.add("leave:" + room));
		this.hub.onDisconnect((session, status) -> events.add("disconnect"));
		TestConnection connection = open();
		connection.session().join("a");
		connection.session().join("b");

		connection.listener().onClosed(1000, "");
		connection.listener().onClosed(1000, "");

		assertThat(events).hasSize(3).containsOnlyOnce("leave:a", "leave:b").endsWith("disconnect");
		assertThat(this.hub.rooms()).isEmpty();
	}

	@Test
	void joiningAfterCloseThrows() {
		Session session = open().session();
		session.close();
		assertThatExceptionOfType(SessionClosedException.class).isThrownBy(() -> session.join("lobby"));
		assertThat(this.hub.rooms()).isEmpty();
	}

	@Test
	void membersIsASnapshotOfTheRoom() {
		Session alice = open().session();
		Session bob = open().session();
		alice.join("lobby");
		bob.join("lobby");
		assertThat(this.hub.room("lobby").members()).containsExactlyInAnyOrder(alice, bob);
		assertThat(this.hub.room("lobby").name()).isEqualTo("lobby");
	}

	@Test
	void roomBroadcastVisitsOnlyTheRoomsMembers() {
		for (int i = 0; i < 10_000; i++) {
			open();
		}
		TestConnection member = open();
		member.session().join("small");

		assertThat(this.hub.broadcaster().candidates(Target.room("small"))).singleElement().isSameAs(member.session());
		assertThat(this.hub.broadcaster().candidates(Target.room("small").except("someone"))).hasSize(1);
		assertThat(this.hub.broadcaster().candidates(Target.all())).hasSize(10_001);
		BroadcastResult result = this.hub.room("small").broadcast("only you");
		assertThat(result.recipients()).isEqualTo(1);
		assertThat(member.texts()).containsExactly("only you");
	}

	@Test
	void concurrentJoinsAndLeavesOfOneSessionRacingItsDisconnectLeaveNoRoomEntry() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			for (int trial = 0; trial < 2_000; trial++) {
				TestConnection connection = open();
				Session session = connection.session();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < 3; t++) {
					futures.add(executor.submit(() -> {
						start.await();
						for (int i = 0; i < 20; i++) {
							try {
								session.join("a");
								session.leave("a");
								session.join("b");
							}
							catch (SessionClosedException ex) {
								return null;
							}
						}
						return null;
					}));
				}
				futures.add(executor.submit(() -> {
					start.await();
					connection.listener().onClosed(1001, "");
					return null;
				}));
				start.countDown();
				for (Future<?> future : futures) {
					future.get(10, TimeUnit.SECONDS);
				}
				assertThat(session.rooms()).isEmpty();
				assertThat(this.hub.rooms()).isEmpty();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void membershipStaysConsistentUnderConcurrentJoinsLeavesDisconnectsAndBroadcasts() throws Exception {
		int sessions = 200;
		List<TestConnection> connections = new ArrayList<>();
		for (int i = 0; i < sessions; i++) {
			connections.add(open());
		}
		AtomicInteger broadcasts = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < sessions; i++) {
				TestConnection connection = connections.get(i);
				boolean disconnects = i % 4 == 0;
				futures.add(executor.submit(() -> {
					start.await();
					Session session = connection.session();
					for (int round = 0; round < 20; round++) {
						session.join("room-" + (round % 3));
						if (round % 2 == 0) {
							session.leave("room-" + ((round + 1) % 3));
						}
					}
					if (disconnects) {
						connection.listener().onClosed(1001, "");
					}
					return null;
				}));
			}
			futures.add(executor.submit(() -> {
				start.await();
				for (int i = 0; i < 200; i++) {
					this.hub.room("room-" + (i % 3)).broadcast("tick");
					broadcasts.incrementAndGet();
				}
				return null;
			}));
			start.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(broadcasts).hasValue(200);
		int members = 0;
		for (int i = 0; i < sessions; i++) {
			Session session = connections.get(i).session();
			if (i % 4 == 0) {
				assertThat(session.rooms()).isEmpty();
			}
			else {
				for (String room : session.rooms()) {
					assertThat(this.hub.room(room).members()).contains(session);
				}
				members += session.rooms().size();
			}
		}
		int indexed = this.hub.rooms().values().stream().mapToInt(Integer::intValue).sum();
		assertThat(indexed).isEqualTo(members);
		for (String room : this.hub.rooms().keySet()) {
			assertThat(this.hub.room(room).members()).allSatisfy((member) -> assertThat(member.isClosed()).isFalse());
		}
	}

	@Test
	void roomBroadcastDeliversEachMessageOncePerMemberWhileMembersJoin() throws Exception {
		List<TestConnection> connections = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			connections.add(open());
		}
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			Future<?> joins = executor.submit(() -> connections.forEach((c) -> c.session().join("r")));
			Future<?> sends = executor.submit(() -> {
				for (int i = 0; i < 100; i++) {
					this.hub.room("r").broadcast("m" + i);
				}
			});
			joins.get(10, TimeUnit.SECONDS);
			sends.get(10, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		for (TestConnection connection : connections) {
			assertThat(connection.texts()).doesNotHaveDuplicates();
		}
	}

	private TestConnection open() {
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		return connection;
	}

}
