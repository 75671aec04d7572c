package dev.tutti;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HubConfig}.
 */
class HubConfigTests {

	@Test
	void hasDefaults() {
		HubConfig config = HubConfig.defaults();
		assertThat(config.name()).isEqualTo("tutti");
		assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.pongTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(config.pingPeriod()).isEqualTo(Duration.ofSeconds(54));
		assertThat(config.maxMessageSize()).isEqualTo(64 * 1024);
		assertThat(config.messageAssemblyTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(config.outboundBufferSize()).isEqualTo(256);
		assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
		assertThat(config.concurrentMessageHandling()).isFalse();
		assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10))
			.isEqualTo(HubConfig.DEFAULT_SHUTDOWN_TIMEOUT);
	}

	@Test
	void builderStartsFromDefaults() {
		HubConfig config = HubConfig.builder().build();
		assertThat(config).hasToString(HubConfig.defaults().toString());
	}

	@Test
	void builderSetsEverySetting() {
		HubConfig config = HubConfig.builder()
			.name("chat")
			.writeTimeout(Duration.ofSeconds(1))
			.pongTimeout(Duration.ofSeconds(3))
			.pingPeriod(Duration.ofSeconds(2))
			.maxMessageSize(1024)
			.messageAssemblyTimeout(Duration.ofSeconds(5))
			.outboundBufferSize(8)
			.overflowPolicy(OverflowPolicy.CLOSE)
			.concurrentMessageHandling(true)
			.shutdownTimeout(Duration.ofSeconds(4))
			.build();
		assertThat(config.name()).isEqualTo("chat");
		assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.pongTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(config.pingPeriod()).isEqualTo(Duration.ofSeconds(2));
		assertThat(config.maxMessageSize()).isEqualTo(1024);
		assertThat(config.messageAssemblyTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.outboundBufferSize()).isEqualTo(8);
		assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.CLOSE);
		assertThat(config.concurrentMessageHandling()).isTrue();
		assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(config.toString()).contains("name=chat", "outboundBufferSize=8", "overflowPolicy=CLOSE",
				"shutdownTimeout=PT4S");
	}

	@Test
	void toBuilderStartsFromTheSettings() {
		HubConfig config = HubConfig.builder()
			.name("chat")
			.writeTimeout(Duration.ofSeconds(1))
			.pongTimeout(Duration.ofSeconds(3))
			.maxMessageSize(1024)
			.messageAssemblyTimeout(Duration.ofSeconds(5))
			.outboundBufferSize(8)
			.outboundBufferBytes(4096)
			.overflowPolicy(OverflowPolicy.CLOSE)
			.maxSessions(10)
			.inboundMessagesPerSecond(5)
			.inboundBurst(20)
			.inboundRateLimitPolicy(RateLimitPolicy.CLOSE)
			.concurrentMessageHandling(true)
			.messageTypeProperty("kind")
			.decodingErrorReply(true)
			.shutdownTimeout(Duration.ofSeconds(4))
			.build();
		assertThat(config.toBuilder().build()).hasToString(config.toString());
		HubConfig echo = config.toBuilder().name("echo").pongTimeout(Duration.ofSeconds(30)).build();
		assertThat(echo.name()).isEqualTo("echo");
		assertThat(echo.maxMessageSize()).isEqualTo(1024);
		// A ping period derived from the pong timeout stays derived
		assertThat(echo.pingPeriod()).isEqualTo(Duration.ofSeconds(27));
		HubConfig explicit = HubConfig.builder().pingPeriod(Duration.ofSeconds(7)).build();
		assertThat(explicit.toBuilder().pongTimeout(Duration.ofSeconds(30)).build().pingPeriod())
			.isEqualTo(Duration.ofSeconds(7));
		// So does a burst derived from the rate
		HubConfig derived = HubConfig.builder()
			.inboundMessagesPerSecond(5)
			.build()
			.toBuilder()
			.inboundMessagesPerSecond(50)
			.build();
		assertThat(derived.inboundBurst()).isEqualTo(50);
	}

	@Test
	void hubUsesItsConfig() {
		HubConfig config = HubConfig.builder().name("chat").build();
		try (Hub hub = Hub.create(config)) {
			assertThat(hub.config()).isSameAs(config);
		}
		try (Hub hub = Hub.create()) {
			assertThat(hub.config()).isSameAs(HubConfig.defaults());
		}
	}

	@Test
	void pingPeriodMustBeShorterThanPongTimeout() {
		assertInvalid(HubConfig.builder().pingPeriod(Duration.ofSeconds(60)), "pingPeriod", Duration.ofSeconds(60));
		assertInvalid(HubConfig.builder().pongTimeout(Duration.ofSeconds(5)).pingPeriod(Duration.ofSeconds(54)),
				"pingPeriod", Duration.ofSeconds(54));
	}

	@Test
	void pingPeriodDefaultsToNineTenthsOfThePongTimeout() {
		assertThat(HubConfig.builder().pongTimeout(Duration.ofSeconds(5)).build().pingPeriod())
			.isEqualTo(Duration.ofMillis(4500));
	}

	@Test
	void durationsMustBePositive() {
		assertInvalid(HubConfig.builder().writeTimeout(Duration.ZERO), "writeTimeout", Duration.ZERO);
		assertInvalid(HubConfig.builder().writeTimeout(Duration.ofMillis(-1)), "writeTimeout", Duration.ofMillis(-1));
		assertInvalid(HubConfig.builder().pongTimeout(Duration.ZERO), "pongTimeout", Duration.ZERO);
		assertInvalid(HubConfig.builder().pongTimeout(Duration.ofSeconds(-5)), "pongTimeout", Duration.ofSeconds(-5));
		assertInvalid(HubConfig.builder().pingPeriod(Duration.ZERO), "pingPeriod", Duration.ZERO);
		assertInvalid(HubConfig.builder().pingPeriod(Duration.ofSeconds(-1)), "pingPeriod", Duration.ofSeconds(-1));
		assertInvalid(HubConfig.builder().shutdownTimeout(Duration.ZERO), "shutdownTimeout", Duration.ZERO);
		assertInvalid(HubConfig.builder().shutdownTimeout(Duration.ofSeconds(-1)), "shutdownTimeout",
				Duration.ofSeconds(-1));
	}

	@Test
	void sizesMustBePositive() {
		assertInvalid(HubConfig.builder().maxMessageSize(0), "maxMessageSize", 0);
		assertInvalid(HubConfig.builder().maxMessageSize(-1), "maxMessageSize", -1);
		assertInvalid(HubConfig.builder().messageAssemblyTimeout(Duration.ZERO), "messageAssemblyTimeout",
				Duration.ZERO);
		assertInvalid(HubConfig.builder().outboundBufferSize(0), "outboundBufferSize", 0);
		assertInvalid(HubConfig.builder().outboundBufferSize(-4), "outboundBufferSize", -4);
	}

	@Test
	void nameMustNotBeBlank() {
		assertInvalid(HubConfig.builder().name(" "), "name", " ");
	}

	@Test
	void nullsAreRejected() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> HubConfig.builder().name(null));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> HubConfig.builder().writeTimeout(null));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> HubConfig.builder().overflowPolicy(null));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> HubConfig.builder().shutdownTimeout(null));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> Hub.create(null));
	}

	private static void assertInvalid(HubConfig.Builder builder, String setting, Object value) {
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(builder::build).satisfies((ex) -> {
			assertThat(ex.getSetting()).isEqualTo(setting);
			assertThat(ex.getValue()).isEqualTo(value);
			assertThat(ex.getReason()).isNotBlank();
			assertThat(ex).hasMessageContaining(setting).hasMessageContaining(String.valueOf(value));
		});
	}

}
