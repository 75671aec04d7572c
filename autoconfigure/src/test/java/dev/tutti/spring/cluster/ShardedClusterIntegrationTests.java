package dev.tutti.spring.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tutti.Target;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sharded pub/sub against a 3-master Redis Cluster the test starts from the
 * {@code redis-server} binary: each room's broadcasts travel on its own shard channel,
 * published to and subscribed on the master that owns its slot only, by the instances
 * that have members in it.
 */
class ShardedClusterIntegrationTests {

	private static final String PREFIX = "tutti-test-" + UUID.randomUUID();

	private static final List<RedisServer> masters = new ArrayList<>();

	private static final List<ClusterNode> nodes = new ArrayList<>();

	@BeforeAll
	static void startCluster() {
		Assumptions.assumeTrue(RedisServer.available(),
				"redis-server is not installed: skipping the sharded pub/sub tests against a Redis Cluster");
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			RedisServer master = RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "2000");
			masters.add(master);
			addresses.add("127.0.0.1:" + master.port());
		}
		List<String> create = new ArrayList<>(List.of("--cluster", "create"));
		create.addAll(addresses);
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		masters.get(0).cli(create.toArray(new String[0]));
		for (RedisServer master : masters) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> master.cli("CLUSTER", "INFO").contains("cluster_state:ok"));
		}
		String cluster = "spring.data.redis.cluster.nodes=" + String.join(",", addresses);
		nodes.add(ClusterNode.start("a", PREFIX, cluster, "tutti.cluster.redis.sharded=true"));
		nodes.add(ClusterNode.start("b", PREFIX, cluster, "tutti.cluster.redis.sharded=true"));
	}

	@AfterAll
	static void stopCluster() {
		nodes.forEach(ClusterNode::close);
		masters.forEach(RedisServer::close);
	}

	@Test
	void roomTrafficTravelsOnlyOnItsShard() {
		ClusterNode a = nodes.get(0);
		ClusterNode b = nodes.get(1);
		String room = "lobby";
		String channel = PREFIX + ":room:" + room;
		TuttiTestClient a1 = a.connect("a1", Map.of("room", room));
		TuttiTestClient b1 = b.connect("b1", Map.of("room", room));
		TuttiTestClient b2 = b.connect("b2", Map.of());
		RedisServer owner = owner(channel);

		// Both instances have members: both subscribe, on the owning master only
		await().until(() -> shardSubscribers(owner, channel) == 2);
		for (RedisServer master : masters) {
			if (master != owner) {
				assertThat(shardSubscribers(master, channel)).isZero();
			}
			master.cli("CONFIG", "RESETSTAT");
		}

		for (int i = 0; i < 20; i++) {
			a.hub().room(room).broadcast("room-" + i);
		}
		for (int i = 0; i < 20; i++) {
			assertThat(b1.awaitText()).isEqualTo("room-" + i);
			assertThat(a1.awaitText()).isEqualTo("room-" + i);
		}
		b2.awaitNoMessage(Duration.ofMillis(200));
		for (RedisServer master : masters) {
			long published = spublishCalls(master);
			assertThat(published).as("SPUBLISH calls on %s", master.port()).isEqualTo((master == owner) ? 20 : 0);
		}

		// Hub-wide broadcasts keep the global channel
		b.hub().broadcast(Target.all(), "everyone");
		assertThat(a1.awaitText()).isEqualTo("everyone");
		assertThat(b1.awaitText()).isEqualTo("everyone");
		assertThat(b2.awaitText()).isEqualTo("everyone");

		// An instance subscribes only while it has members in the room
		b1.close();
		await().until(() -> shardSubscribers(owner, channel) == 1);
		a1.close();
		await().until(() -> shardSubscribers(owner, channel) == 0);
		b2.close();
	}

	private static RedisServer owner(String channel) {
		String slot = masters.get(0).cli("CLUSTER", "KEYSLOT", channel).replaceAll("\\D", "");
		for (RedisServer master : masters) {
			String countInSlot = master.cli("CLUSTER", "COUNTKEYSINSLOT", slot);
			if (!countInSlot.contains("ERR") && ownsSlot(master, Integer.parseInt(slot))) {
				return master;
			}
		}
		throw new IllegalStateException("No master owns slot " + slot);
	}

	private static boolean ownsSlot(RedisServer master, int slot) {
		for (String line : master.cli("CLUSTER", "NODES").split("\n")) {
			if (line.contains("myself")) {
				String[] fields = line.trim().split(" ");
				for (int i = 8; i < fields.length; i++) {
					String[] range = fields[i].split("-");
					int from = Integer.parseInt(range[0]);
					int to = (range.length > 1) ? Integer.parseInt(range[1]) : from;
					if (slot >= from && slot <= to) {
						return true;
					}
				}
			}
		}
		return false;
	}

	private static long shardSubscribers(RedisServer master, String channel) {
		String[] lines = master.cli("PUBSUB", "SHARDNUMSUB", channel).split("\n");
		return Long.parseLong(lines[lines.length - 1].trim());
	}

	private static long spublishCalls(RedisServer master) {
		Matcher matcher = Pattern.compile("cmdstat_spublish:calls=(\\d+)").matcher(master.cli("INFO", "commandstats"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

}
