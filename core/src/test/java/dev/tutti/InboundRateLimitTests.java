package dev.tutti;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the per-session inbound rate limit
 * ({@link HubConfig#inboundMessagesPerSecond()}).
 */
class InboundRateLimitTests {

	/** A rate so low that no token accrues while a test runs. */
	private static final double ALMOST_NEVER = 0.001;

	private final List<String> handled = new CopyOnWriteArrayList<>();

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
	void dropPolicyDropsMessagesOverTheBurstAndReportsEach() {
		TestConnection connection = open(ALMOST_NEVER, 3, RateLimitPolicy.DROP);
		for (int i = 1; i <= 5; i++) {
			connection.listener().onText("m" + i, true);
		}
		connection.listener().onBinary(ByteBuffer.wrap(new byte[] { 1 }), true);
		assertThat(this.handled).containsExactly("m1", "m2", "m3");
		assertThat(this.errors).hasSize(3).allSatisfy((error) -> {
			assertThat(error).isInstanceOf(RateLimitExceededException.class)
				.hasMessageContaining("'" + connection.session().id() + "'")
				.hasMessageContaining("burst 3")
				.hasMessageContaining("policy DROP");
			assertThat(((RateLimitExceededException) error).getPolicy()).isEqualTo(RateLimitPolicy.DROP);
			assertThat(((TuttiException) error).isCausedByClient()).isTrue();
		});
		assertThat(this.registry.get("tutti.messages.rejected").tag("reason", "rate-limited").counter().count())
			.isEqualTo(3);
		assertThat(connection.session().isClosed()).isFalse();
	}

	@Test
	void closePolicyClosesTheSessionWith1008() {
		TestConnection connection = open(ALMOST_NEVER, 2, RateLimitPolicy.CLOSE);
		connection.listener().onText("m1", true);
		connection.listener().onText("m2", true);
		connection.listener().onText("m3", true);
		connection.listener().onText("m4", true);
		assertThat(this.handled).containsExactly("m1", "m2");
		assertThat(connection.session().isClosed()).isTrue();
		assertThat(this.disconnects).containsExactly(CloseStatus.RATE_LIMITED);
		assertThat(this.errors).singleElement().isInstanceOf(RateLimitExceededException.class);
		await().untilAsserted(() -> assertThat(connection.closes())
			.containsExactly(new CloseStatus(1008, "Inbound rate limit exceeded")));
		assertThat(this.registry.get("tutti.sessions.closed").tag("reason", "rate-limited").counter().count())
			.isEqualTo(1);
	}

	@Test
	void countsWholeMessagesNotTheirParts() {
		TestConnection connection = open(ALMOST_NEVER, 1, RateLimitPolicy.DROP);
		connection.listener().onText("a", false);
		connection.listener().onText("b", false);
		connection.listener().onText("c", true);
		assertThat(this.handled).containsExactly("abc");
		assertThat(this.errors).isEmpty();
	}

	@Test
	void tokensAccrueAtTheRate() {
		TestConnection connection = open(2, 2, RateLimitPolicy.DROP);
		connection.listener().onText("m1", true);
		connection.listener().onText("m2", true);
		connection.listener().onText("m3", true);
		assertThat(this.handled).containsExactly("m1", "m2");
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			connection.listener().onText("later", true);
			assertThat(this.handled).contains("later");
		});
	}

	@Test
	void neverLetsMoreThanTheBurstAndWhatTheRateEarnedThrough() {
		double rate = 1000;
		int burst = 10;
		InboundRateLimiter limiter = new InboundRateLimiter(rate, burst);
		long start = System.nanoTime();
		int passed = 0;
		while (System.nanoTime() - start < Duration.ofMillis(100).toNanos()) {
			if (limiter.tryAcquire()) {
				passed++;
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		assertThat(passed).isGreaterThan(burst).isLessThanOrEqualTo(burst + (int) Math.ceil(rate * seconds));
	}

	@Test
	void offByDefault() {
		assertThat(HubConfig.defaults().inboundMessagesPerSecond()).isZero();
		this.hub = Hub.create();
		this.hub.onMessage((session, text) -> this.handled.add(text));
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		for (int i = 0; i < 10_000; i++) {
			connection.listener().onText("m", true);
		}
		assertThat(this.handled).hasSize(10_000);
	}

	@Test
	void burstDefaultsToOneSecondOfTheRate() {
		assertThat(HubConfig.builder().inboundMessagesPerSecond(2.5).build().inboundBurst()).isEqualTo(3);
		assertThat(HubConfig.builder().inboundMessagesPerSecond(0.1).build().inboundBurst()).isEqualTo(1);
		assertThat(HubConfig.builder().inboundMessagesPerSecond(10).inboundBurst(50).build().inboundBurst())
			.isEqualTo(50);
	}

	@Test
	void rejectsInvalidSettings() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> HubConfig.builder().inboundMessagesPerSecond(-1).build())
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("inboundMessagesPerSecond"));
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> HubConfig.builder().inboundMessagesPerSecond(Double.NaN).build())
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("inboundMessagesPerSecond"));
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> HubConfig.builder().inboundBurst(-1).build())
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("inboundBurst"));
	}

	private TestConnection open(double rate, int burst, RateLimitPolicy policy) {
		this.hub = Hub.create(HubConfig.builder()
			.inboundMessagesPerSecond(rate)
			.inboundBurst(burst)
			.inboundRateLimitPolicy(policy)
			.build());
		new TuttiHubMetrics(this.hub).bindTo(this.registry);
		this.hub.onMessage((session, text) -> this.handled.add(text));
		this.hub.onBinaryMessage((session, data) -> this.handled.add("binary"));
		this.hub.onError((session, error) -> this.errors.add(error));
		this.hub.onDisconnect((session, status) -> this.disconnects.add(status));
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		return connection;
	}

}
