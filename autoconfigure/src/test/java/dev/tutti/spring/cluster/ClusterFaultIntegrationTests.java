package dev.tutti.spring.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.BackplaneException;
import dev.tutti.Target;
import dev.tutti.test.TuttiTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances on a Redis server of the test's own, which the test kills the
 * subscriptions of and restarts while one instance broadcasts a numbered stream: local
 * delivery never stops, remote delivery resumes by itself, and the failure counter, the
 * error handlers and health show the outage.
 */
class ClusterFaultIntegrationTests {

	private RedisServer redis;

	private ClusterNode a;

	private ClusterNode b;

	private final AtomicBoolean publishing = new AtomicBoolean(true);

	private final AtomicInteger next = new AtomicInteger();

	private Thread publisher;

	@BeforeEach
	void start() {
		Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed: skipping the fault tests");
		this.redis = RedisServer.start();
		String prefix = "tutti-test-" + UUID.randomUUID();
		String port = "spring.data.redis.port=" + this.redis.port();
		this.a = ClusterNode.start("a", prefix, port, "tutti.cluster.publish-timeout=500ms");
		this.b = ClusterNode.start("b", prefix, port);
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.publishing.set(false);
		if (this.publisher != null) {
			this.publisher.join();
		}
		for (AutoCloseable closeable : new AutoCloseable[] { this.a, this.b, this.redis }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// Closing the rest matters more
			}
		}
	}

	@Test
	void localDeliveryGoesOnAndRemoteDeliveryResumesAfterPubSubKillAndRestart() throws InterruptedException {
		Stream local = new Stream(this.a.connect("a1", Map.of()));
		Stream remote = new Stream(this.b.connect("b1", Map.of()));
		this.publisher = new Thread(() -> {
			while (this.publishing.get()) {
				this.a.hub().broadcast(Target.all(), Integer.toString(this.next.getAndIncrement()));
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		this.publisher.start();
		remote.awaitBeyond(this.next.get());

		this.redis.cli("CLIENT", "KILL", "TYPE", "pubsub");
		int afterKill = this.next.get();
		local.awaitBeyond(afterKill);
		remote.awaitBeyond(afterKill);

		this.redis.stop();
		int whileDown = this.next.get();
		local.awaitBeyond(whileDown + 50);
		await().until(() -> this.a.backplane().publishFailures() > 0);
		assertThat(this.a.bean(MeterRegistry.class).get("tutti.cluster.publish.failed").functionCounter().count())
			.isPositive();
		await().until(() -> this.a.health().getCode().equals("DOWN") && this.b.health().getCode().equals("DOWN"));
		assertThat(this.a.backplaneErrors()).isNotEmpty().allMatch(BackplaneException.class::isInstance);

		this.redis.restart();
		int afterRestart = this.next.get();
		local.awaitBeyond(afterRestart);
		remote.awaitBeyond(afterRestart);
		await().until(() -> this.a.health().getCode().equals("UP") && this.b.health().getCode().equals("UP"));

		this.publishing.set(false);
		assertThat(local.gaps()).as("messages the local session missed").isZero();

		// What the remote node missed is counted and reported, to the envelope
		this.publisher.join();
		int last = this.next.get() - 1;
		remote.awaitBeyond(last - 1);
		assertThat(remote.missing()).as("messages published while Redis was down").isPositive();
		assertThat(this.b.backplane().missed()).isEqualTo(remote.missing());
		assertThat(this.b.bean(MeterRegistry.class).get("tutti.cluster.received.missed").functionCounter().count())
			.isEqualTo(remote.missing());
		assertThat(this.b.backplaneErrors()).anyMatch((error) -> error.getMessage().contains("did not receive"));
	}

	/**
	 * The numbered messages one client receives, read on a thread of its own.
	 */
	static final class Stream {

		private final List<Integer> received = new CopyOnWriteArrayList<>();

		Stream(TuttiTestClient client) {
			Thread reader = new Thread(() -> {
				while (client.isOpen()) {
					try {
						this.received.add(Integer.parseInt(client.awaitText()));
					}
					catch (AssertionError ex) {
						// Closed, or quiet for a while: check again
					}
				}
			});
			reader.setDaemon(true);
			reader.start();
		}

		void awaitBeyond(int number) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !this.received.isEmpty() && this.received.get(this.received.size() - 1) > number);
		}

		int missing() {
			int missing = 0;
			for (int i = 1; i < this.received.size(); i++) {
				missing += this.received.get(i) - this.received.get(i - 1) - 1;
			}
			return missing;
		}

		int gaps() {
			int gaps = 0;
			for (int i = 1; i < this.received.size(); i++) {
				if (this.received.get(i) != this.received.get(i - 1) + 1) {
					gaps++;
				}
			}
			return gaps;
		}

	}

}
