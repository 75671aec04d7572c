package dev.tutti.spring.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.tutti.Session;
import dev.tutti.Target;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Three application instances in one JVM, each with its own embedded Tomcat, hub and
 * Redis backplane, against the Redis on 127.0.0.1:6379, under a channel prefix of their
 * own; real WebSocket clients on each.
 */
class ClusterIntegrationTests {

	private static final String PREFIX = "tutti-test-" + UUID.randomUUID();

	private static final List<ClusterNode> nodes = new ArrayList<>();

	private static ClusterNode a;

	private static ClusterNode b;

	private static ClusterNode c;

	@BeforeAll
	static void startNodes() {
		Assumptions.assumeTrue(RedisServer.answers(6379),
				"No Redis answers on 127.0.0.1:6379 (.ci/run starts one): skipping the cluster tests");
		a = ClusterNode.start("a", PREFIX);
		nodes.add(a);
		b = ClusterNode.start("b", PREFIX);
		nodes.add(b);
		c = ClusterNode.start("c", PREFIX, "tutti.cluster.max-envelope-size=4KB");
		nodes.add(c);
	}

	@AfterAll
	static void stopNodes() {
		nodes.forEach(ClusterNode::close);
	}

	/**
	 * Wait until every node has delivered what the test broadcast, so that no envelope
	 * relayed late reaches the next test's clients: one more broadcast from each node,
	 * received on every node, comes after all of that node's earlier ones, since Redis
	 * keeps the order of each publishing connection.
	 */
	@AfterEach
	void awaitEveryNodesDeliveries() {
		String fence = "fence-" + UUID.randomUUID();
		List<TuttiTestClient> clients = new ArrayList<>();
		for (ClusterNode node : nodes) {
			clients.add(node.connect(fence + "-" + node.name(), Map.of("user", fence)));
		}
		for (ClusterNode node : nodes) {
			node.hub().broadcast(Target.attributeEquals("user", fence), fence + "-from-" + node.name());
		}
		for (TuttiTestClient client : clients) {
			assertReceived(client, nodes.stream().map((node) -> fence + "-from-" + node.name()).toArray(String[]::new));
			client.close();
		}
	}

	@Test
	void everyTargetReachesItsSessionsOnEveryNodeExactlyOnce() {
		String room = "room-" + UUID.randomUUID();
		TuttiTestClient a1 = a.connect("a1", Map.of("user", "ann", "room", room));
		TuttiTestClient b1 = b.connect("b1", Map.of("user", "ann", "room", room));
		TuttiTestClient b2 = b.connect("b2", Map.of("user", "bob"));
		TuttiTestClient c1 = c.connect("c1", Map.of("user", "carl", "room", room));
		Session b1Session = b.session("b1");
		Session b2Session = b.session("b2");
		Session c1Session = c.session("c1");

		a.hub().broadcast(Target.all(), "all");
		a.hub().broadcast(Target.room(room), "room");
		a.hub().broadcast(Target.sessions(b2Session.id()), "to-b2");
		c.hub().broadcast(Target.sessions(b1Session.id(), c1Session.id()), "to-b1-c1");
		a.hub().broadcast(Target.attributeEquals("user", "ann"), "to-ann");
		a.hub().broadcast(Target.room(room).except(c1Session), "room-but-c1");
		b.hub().broadcast(Target.allExcept(b1Session), "all-but-b1");
		a.hub().broadcastJson(Target.room(room), Map.of("greeting", "hi"));
		a.hub().broadcastLocal((session) -> true, "local");
		c.hub().room(room).broadcastOthers(c1Session, "room-from-c1");

		assertReceived(a1, "all", "room", "to-ann", "room-but-c1", "all-but-b1", "{\"greeting\":\"hi\"}", "local",
				"room-from-c1");
		assertReceived(b1, "all", "room", "to-b1-c1", "to-ann", "room-but-c1", "{\"greeting\":\"hi\"}", "room-from-c1");
		assertReceived(b2, "all", "to-b2", "all-but-b1");
		assertReceived(c1, "all", "room", "to-b1-c1", "all-but-b1", "{\"greeting\":\"hi\"}");

		byte[] data = "binary".getBytes(StandardCharsets.UTF_8);
		b.hub().broadcastBinary(Target.attributeEquals("user", "ann"), data);
		b.hub().broadcastBinary(Target.all(), data);
		assertThat(a1.awaitBinary()).isEqualTo(data);
		assertThat(a1.awaitBinary()).isEqualTo(data);
		assertThat(b1.awaitBinary()).isEqualTo(data);
		assertThat(b1.awaitBinary()).isEqualTo(data);
		assertThat(c1.awaitBinary()).isEqualTo(data);
		assertThat(b2.awaitBinary()).isEqualTo(data);
		for (TuttiTestClient client : List.of(a1, b1, b2, c1)) {
			client.awaitNoMessage(Duration.ofMillis(200));
			client.close();
		}
	}

	@Test
	void oneBroadcastIsOnePublish() {
		TuttiTestClient b1 = b.connect("one-b1", Map.of());
		long published = a.backplane().published();
		long received = b.backplane().received();
		for (int i = 0; i < 10; i++) {
			a.hub().broadcast(Target.all(), "m" + i);
		}
		for (int i = 0; i < 10; i++) {
			assertThat(b1.awaitText()).isEqualTo("m" + i);
		}
		org.awaitility.Awaitility.await().until(() -> a.backplane().published() == published + 10);
		assertThat(b.backplane().received()).isEqualTo(received + 10);
		b1.close();
	}

	@Test
	void fourConcurrentPublishersAreDeliveredExactlyOnceInOrder() throws Exception {
		int perPublisher = 250;
		List<TuttiTestClient> clients = new ArrayList<>();
		for (ClusterNode node : nodes) {
			clients.add(node.connect("order-" + node.name() + "1", Map.of()));
			clients.add(node.connect("order-" + node.name() + "2", Map.of()));
		}
		List<ClusterNode> publishers = List.of(a, a, b, c);
		ExecutorService executor = Executors.newFixedThreadPool(publishers.size());
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> running = new ArrayList<>();
		for (int p = 0; p < publishers.size(); p++) {
			ClusterNode node = publishers.get(p);
			String name = "p" + p;
			running.add(executor.submit(() -> {
				start.await();
				for (int i = 0; i < perPublisher; i++) {
					node.hub().broadcast(Target.all(), name + ":" + i);
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> publisher : running) {
			publisher.get(30, TimeUnit.SECONDS);
		}
		executor.shutdown();
		for (ClusterNode node : nodes) {
			assertThat(node.backplaneErrors()).as("errors of %s", node).isEmpty();
			assertThat(node.hub().sessionInfo()).allSatisfy((info) -> assertThat(info.droppedMessages()).isZero());
		}
		for (TuttiTestClient client : clients) {
			int[] next = new int[publishers.size()];
			for (int i = 0; i < perPublisher * publishers.size(); i++) {
				String[] message = client.awaitText().split(":");
				int publisher = Integer.parseInt(message[0].substring(1));
				assertThat(Integer.parseInt(message[1])).as("next message of %s at %s", message[0], client)
					.isEqualTo(next[publisher]);
				next[publisher]++;
			}
			client.awaitNoMessage(Duration.ofMillis(100));
			client.close();
		}
	}

	@Test
	void envelopeOverTheMaximumSizeIsRefusedWithAClearError() {
		TuttiTestClient c1 = c.connect("big-c1", Map.of());
		String big = "x".repeat(8 * 1024);
		assertThatIllegalArgumentException().isThrownBy(() -> c.hub().broadcast(big))
			.withMessageContaining("exceeds the maximum envelope size of 4096 bytes")
			.withMessageContaining("tutti.cluster.max-envelope-size");
		c.hub().broadcast("small");
		assertThat(c1.awaitText()).isEqualTo("small");
		c1.close();
	}

	@Test
	void attributeValueThatCannotCrossTheClusterIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> a.hub().broadcast(Target.attributeEquals("user", new StringBuilder("ann")), "x"))
			.withMessageContaining("Value of attribute 'user'");
	}

	@Test
	void healthShowsTheBackplaneUp() {
		for (ClusterNode node : nodes) {
			assertThat(node.health().getCode()).isEqualTo("UP");
			assertThat(node.backplane().isConnected()).isTrue();
		}
	}

	/**
	 * Assert that a client receives exactly these messages, in any order: broadcasts of
	 * different nodes are not ordered with each other.
	 */
	private static void assertReceived(TuttiTestClient client, String... expected) {
		List<String> received = new ArrayList<>();
		for (int i = 0; i < expected.length; i++) {
			received.add(client.awaitText());
		}
		client.awaitNoMessage(Duration.ofMillis(200));
		assertThat(received).containsExactlyInAnyOrder(expected);
	}

}
