package dev.tutti;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.transport.Upgrade;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the hub's admission limits: {@link HubConfig#maxSessions()} and
 * {@link Hub#refuseOrigin(String)}.
 */
class AdmissionTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AtomicInteger handshakeHandlerRuns = new AtomicInteger();

	private Hub hub;

	@AfterEach
	void closeHub() {
		if (this.hub != null) {
			this.hub.close();
		}
	}

	@Test
	void refusesHandshakesOverTheMaximumWith503BeforeAnyHandlerRuns() {
		hub(2);
		new TestConnection().open(this.hub);
		new TestConnection().open(this.hub);
		HandshakeResult refused = new TestConnection().handshake(this.hub).result();
		assertThat(refused.accepted()).isFalse();
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.reason()).isEqualTo("Hub 'tutti' is at its maximum of 2 sessions");
		assertThat(this.handshakeHandlerRuns).hasValue(2);
		assertThat(this.hub.size()).isEqualTo(2);
		assertThat(handshakes("at-capacity")).isEqualTo(1);
		assertThat(handshakes("accepted")).isEqualTo(2);
	}

	@Test
	void aSessionThatEndsFreesItsPlace() {
		hub(1);
		TestConnection first = new TestConnection();
		first.open(this.hub);
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isFalse();
		first.session().close();
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isTrue();
	}

	@Test
	void aSessionClosedByItsPeerFreesItsPlace() {
		hub(1);
		TestConnection first = new TestConnection();
		first.open(this.hub);
		first.listener().onClosed(1000, "");
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isTrue();
	}

	@Test
	void anAbandonedUpgradeFreesItsPlace() {
		hub(1);
		Upgrade upgrade = new TestConnection().handshake(this.hub);
		assertThat(upgrade.result().accepted()).isTrue();
		upgrade.abandon();
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isTrue();
	}

	@Test
	void aHandshakeRefusedByAHandlerFreesItsPlace() {
		hub(1);
		AtomicInteger calls = new AtomicInteger();
		this.hub.onHandshake((request) -> (calls.incrementAndGet() == 1) ? HandshakeResult.reject(401, "no")
				: HandshakeResult.accept());
		assertThat(new TestConnection().handshake(this.hub).result().status()).isEqualTo(401);
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isTrue();
	}

	@Test
	void aHandshakeWhoseHandlerThrowsFreesItsPlace() {
		hub(1);
		AtomicInteger calls = new AtomicInteger();
		this.hub.onHandshake((request) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("boom");
			}
			return HandshakeResult.accept();
		});
		assertThat(new TestConnection().handshake(this.hub).result().status()).isEqualTo(500);
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isTrue();
	}

	@Test
	void concurrentHandshakesAdmitExactlyTheMaximum() throws Exception {
		int maximum = 7;
		int attempts = 64;
		hub(maximum);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Upgrade>> upgrades = new ArrayList<>();
			for (int i = 0; i < attempts; i++) {
				upgrades.add(threads.submit(() -> {
					start.await();
					return new TestConnection().handshake(this.hub);
				}));
			}
			start.countDown();
			int accepted = 0;
			for (Future<Upgrade> upgrade : upgrades) {
				if (upgrade.get().result().accepted()) {
					accepted++;
				}
			}
			assertThat(accepted).isEqualTo(maximum);
			assertThat(this.hub.size()).isEqualTo(maximum);
			assertThat(handshakes("at-capacity")).isEqualTo(attempts - maximum);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aHandshakeOverTheMaximumIsObservedAsAtCapacity() {
		hub(1);
		TestObservationRegistry observations = TestObservationRegistry.create();
		TuttiObservations.observe(this.hub, observations);
		new TestConnection().open(this.hub);
		new TestConnection().handshake(this.hub);
		TestObservationRegistryAssert.assertThat(observations)
			.hasAnObservationWithAKeyValue("outcome", "accepted")
			.hasAnObservationWithAKeyValue("outcome", "at-capacity");
	}

	@Test
	void unlimitedByDefault() {
		assertThat(HubConfig.defaults().maxSessions()).isEqualTo(HubConfig.UNLIMITED_SESSIONS);
		this.hub = Hub.create();
		for (int i = 0; i < 100; i++) {
			new TestConnection().open(this.hub);
		}
		assertThat(this.hub.size()).isEqualTo(100);
	}

	@Test
	void maximumMustBePositiveOrUnlimited() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> HubConfig.builder().maxSessions(0).build())
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("maxSessions"));
		assertThat(HubConfig.builder().maxSessions(-1).build().maxSessions()).isEqualTo(-1);
	}

	@Test
	void refusedOriginIsRefusedWith403AndCounted() {
		hub(1);
		HandshakeResult result = this.hub.refuseOrigin("https://evil.example").result();
		assertThat(result).isEqualTo(HandshakeResult.reject(403, "Origin 'https://evil.example' is not allowed"));
		assertThat(this.handshakeHandlerRuns).hasValue(0);
		assertThat(handshakes("origin-refused")).isEqualTo(1);
		assertThat(new TestConnection().handshake(this.hub).result().accepted()).isTrue();
	}

	private void hub(int maxSessions) {
		this.hub = Hub.create(HubConfig.builder().maxSessions(maxSessions).build());
		this.hub.onHandshake((request) -> {
			this.handshakeHandlerRuns.incrementAndGet();
			return HandshakeResult.accept();
		});
		new TuttiHubMetrics(this.hub).bindTo(this.registry);
	}

	private double handshakes(String outcome) {
		return this.registry.get("tutti.handshakes").tag("outcome", outcome).counter().count();
	}

}
