package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.redis.RedisBackplane;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of the Redis backplane ({@link RedisBackplane}) of the
 * auto-configured hub, when {@code tutti.cluster.backplane=redis}: every broadcast of the
 * hub reaches the sessions of every application instance that shares the Redis (Boot's
 * {@code spring.data.redis.*} connection, with Lettuce) and the channel prefix. Binds the
 * backplane's meters ({@code tutti.cluster.*}) when Micrometer is present.
 */
@AutoConfiguration(before = TuttiAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ Hub.class, RedisBackplane.class, LettuceConnectionFactory.class })
@ConditionalOnProperty(name = "tutti.cluster.backplane", havingValue = "redis")
public final class TuttiRedisAutoConfiguration {

	private static final String MAX_ENVELOPE_SIZE = "tutti.cluster.max-envelope-size";

	@Bean
	@ConditionalOnMissingBean
	RedisBackplane tuttiRedisBackplane(RedisConnectionFactory connectionFactory, TuttiProperties properties) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException("The Redis backplane (tutti.cluster.backplane=redis) needs Lettuce, but the"
					+ " Redis connection factory is a " + connectionFactory.getClass().getName());
		}
		TuttiProperties.Cluster cluster = properties.getCluster();
		long maxEnvelopeSize = cluster.getMaxEnvelopeSize().toBytes();
		if (maxEnvelopeSize <= 0 || maxEnvelopeSize > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(MAX_ENVELOPE_SIZE, cluster.getMaxEnvelopeSize(),
					"The maximum envelope size must be positive and less than 2GB.");
		}
		try {
			return RedisBackplane.builder(lettuce)
				.nodeId(cluster.getNodeId())
				.channelPrefix(cluster.getChannelPrefix())
				.publishTimeout(cluster.getPublishTimeout())
				.maxEnvelopeSize((int) maxEnvelopeSize)
				.heartbeatPeriod(cluster.getHeartbeatPeriod())
				.sharded(cluster.getRedis().isSharded())
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid tutti.cluster settings: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Attach the backplane to the auto-configured hub, as it is created.
	 */
	@Bean
	TuttiHubCustomizer tuttiRedisBackplaneCustomizer(RedisBackplane backplane) {
		return (hub) -> hub.backplane(backplane);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class BackplaneMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "tuttiRedisBackplaneMetrics")
		MeterBinder tuttiRedisBackplaneMetrics(RedisBackplane backplane, @Qualifier("tuttiHub") Hub hub) {
			return (registry) -> bind(backplane, hub, registry);
		}

		private static void bind(RedisBackplane backplane, Hub hub, MeterRegistry registry) {
			Tags tags = Tags.of("hub", hub.config().name());
			FunctionCounter.builder("tutti.cluster.published", backplane, RedisBackplane::published)
				.tags(tags)
				.description("Broadcasts published to the other instances, one per broadcast")
				.register(registry);
			FunctionCounter.builder("tutti.cluster.publish.failed", backplane, RedisBackplane::publishFailures)
				.tags(tags)
				.description("Broadcasts that could not be published to the other instances")
				.register(registry);
			FunctionCounter.builder("tutti.cluster.received", backplane, RedisBackplane::received)
				.tags(tags)
				.description("Broadcasts of other instances delivered to this instance's sessions")
				.register(registry);
			FunctionCounter.builder("tutti.cluster.received.missed", backplane, RedisBackplane::missed)
				.tags(tags)
				.description("Broadcasts of other instances that never reached this instance, "
						+ "such as those published while its subscription was down")
				.register(registry);
		}

	}

}
