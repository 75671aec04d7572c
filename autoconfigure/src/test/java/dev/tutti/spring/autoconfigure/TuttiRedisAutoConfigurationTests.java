package dev.tutti.spring.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import dev.tutti.Hub;
import dev.tutti.redis.RedisBackplane;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests of {@link TuttiRedisAutoConfiguration}, against the Redis on 127.0.0.1:6379.
 */
class TuttiRedisAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiRedisAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		.withPropertyValues("tutti.cluster.channel-prefix=tutti-test-" + UUID.randomUUID());

	@BeforeEach
	void requireRedis() {
		Assumptions.assumeTrue(redisAnswers(),
				"No Redis answers on 127.0.0.1:6379 (.ci/run starts one): skipping the Redis backplane tests");
	}

	@Test
	void hasNoBackplaneByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Hub.class).doesNotHaveBean(RedisBackplane.class);
			assertThat(context.getBean(Hub.class).backplane()).isNull();
		});
	}

	@Test
	void hasNoBackplaneWithoutTuttiRedis() {
		this.contextRunner.withPropertyValues("tutti.cluster.backplane=redis")
			.withClassLoader(new FilteredClassLoader(RedisBackplane.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(Hub.class).doesNotHaveBean(RedisBackplane.class);
				assertThat(context.getBean(Hub.class).backplane()).isNull();
			});
	}

	@Test
	void attachesARedisBackplaneToTheHub() {
		this.contextRunner
			.withPropertyValues("tutti.cluster.backplane=redis", "tutti.cluster.node-id=node-1",
					"tutti.cluster.publish-timeout=3s", "tutti.cluster.max-envelope-size=2KB")
			.run((context) -> {
				RedisBackplane backplane = context.getBean(RedisBackplane.class);
				assertThat(context.getBean(Hub.class).backplane()).isSameAs(backplane);
				assertThat(backplane.nodeId()).isEqualTo("node-1");
				assertThat(backplane).extracting("publishTimeout").isEqualTo(Duration.ofSeconds(3));
				assertThat(backplane).extracting("maxEnvelopeSize").isEqualTo(2048);
				assertThat(backplane.isConnected()).isTrue();
			});
	}

	@Test
	void closesTheBackplaneWithTheHub() {
		this.contextRunner.withPropertyValues("tutti.cluster.backplane=redis").run((context) -> {
			RedisBackplane backplane = context.getBean(RedisBackplane.class);
			context.getBean(Hub.class).close();
			assertThat(backplane.isConnected()).isFalse();
		});
	}

	@Test
	void defaultsAreThoseOfTheBackplane() {
		TuttiProperties.Cluster cluster = new TuttiProperties().getCluster();
		assertThat(cluster.getChannelPrefix()).isEqualTo(RedisBackplane.DEFAULT_CHANNEL_PREFIX);
		assertThat(cluster.getPublishTimeout()).isEqualTo(RedisBackplane.DEFAULT_PUBLISH_TIMEOUT);
		assertThat(cluster.getMaxEnvelopeSize().toBytes()).isEqualTo(RedisBackplane.DEFAULT_MAX_ENVELOPE_SIZE);
		assertThat(cluster.getHeartbeatPeriod()).isEqualTo(RedisBackplane.DEFAULT_HEARTBEAT_PERIOD);
		assertThat(cluster.getRedis().isSharded()).isFalse();
		assertThat(cluster.getBackplane()).isEqualTo(TuttiProperties.Cluster.BackplaneType.NONE);
	}

	@Test
	void bindsTheBackplaneMeters() {
		this.contextRunner.withPropertyValues("tutti.cluster.backplane=redis").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean("tuttiRedisBackplaneMetrics", MeterBinder.class).bindTo(registry);
			assertThat(registry.get("tutti.cluster.publish.failed").tag("hub", "tutti").functionCounter().count())
				.isZero();
			assertThat(registry.find("tutti.cluster.published").functionCounter()).isNotNull();
			assertThat(registry.find("tutti.cluster.received").functionCounter()).isNotNull();
		});
	}

	@Test
	void failsOnAnInvalidMaximumEnvelopeSize() {
		this.contextRunner.withPropertyValues("tutti.cluster.backplane=redis", "tutti.cluster.max-envelope-size=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tutti.cluster.max-envelope-size"));
	}

	@Test
	void failsWithoutLettuce() {
		this.contextRunner.withPropertyValues("tutti.cluster.backplane=redis")
			.withUserConfiguration(OtherConnectionFactoryConfiguration.class)
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("needs Lettuce"));
	}

	private static boolean redisAnswers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] reply = new byte[16];
			int read = socket.getInputStream().read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OtherConnectionFactoryConfiguration {

		@Bean
		RedisConnectionFactory redisConnectionFactory() {
			return mock(RedisConnectionFactory.class);
		}

	}

}
