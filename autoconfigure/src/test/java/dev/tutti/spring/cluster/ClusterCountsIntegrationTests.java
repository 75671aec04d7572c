package dev.tutti.spring.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Cluster-wide counts of three application instances against the Redis on 127.0.0.1:6379:
 * sessions and room members after joins, leaves and one instance stopping without
 * withdrawing.
 */
class ClusterCountsIntegrationTests {

	private final String prefix = "tutti-test-" + UUID.randomUUID();

	private List<ClusterNode> nodes = List.of();

	@AfterEach
	void stopNodes() {
		this.nodes.forEach(ClusterNode::close);
	}

	@Test
	void countsFollowJoinsLeavesAndANodeThatStopsAbruptly() {
		Assumptions.assumeTrue(RedisServer.answers(6379),
				"No Redis answers on 127.0.0.1:6379 (.ci/run starts one): skipping the cluster count tests");
		ClusterNode a = ClusterNode.start("a", this.prefix);
		ClusterNode b = ClusterNode.start("b", this.prefix);
		ClusterNode c = ClusterNode.start("c", this.prefix);
		this.nodes = List.of(a, b, c);
		a.connect("a1", Map.of("room", "lobby"));
		a.connect("a2", Map.of());
		TuttiTestClient b1 = b.connect("b1", Map.of("room", "lobby"));
		c.connect("c1", Map.of("room", "lobby"));
		c.connect("c2", Map.of("room", "games"));
		c.connect("c3", Map.of());

		awaitCounts(6, 3, 1);

		b1.close();
		awaitCounts(5, 2, 1);

		a.session("a2").join("games");
		awaitCounts(5, 2, 2);

		c.crash();
		this.nodes = List.of(a, b);
		// c's three sessions leave the counts within three heartbeat periods
		awaitCounts(2, 1, 1);
	}

	private void awaitCounts(long sessions, long lobby, long games) {
		for (ClusterNode node : this.nodes) {
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> node.hub().clusterSize() == sessions && node.hub().room("lobby").clusterSize() == lobby
						&& node.hub().room("games").clusterSize() == games);
		}
	}

}
