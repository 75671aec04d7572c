package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.TuttiHubMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that binds the meters of every {@link Hub} bean
 * ({@link TuttiHubMetrics}) to the application's {@link MeterRegistry}, when Micrometer
 * and a registry are present (as with Spring Boot Actuator). Set
 * {@code tutti.metrics.enabled=false} to turn it off.
 */
@AutoConfiguration(after = TuttiAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ Hub.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "tutti.metrics.enabled", matchIfMissing = true)
public final class TuttiMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HubMetricsBinder tuttiHubMetricsBinder(ObjectProvider<Hub> hubs) {
		return new HubMetricsBinder(hubs);
	}

	/**
	 * Binds the meters of every hub bean, as the registry is set up.
	 */
	static final class HubMetricsBinder implements MeterBinder {

		private final ObjectProvider<Hub> hubs;

		HubMetricsBinder(ObjectProvider<Hub> hubs) {
			this.hubs = hubs;
		}

		@Override
		public void bindTo(MeterRegistry registry) {
			this.hubs.orderedStream().forEach((hub) -> new TuttiHubMetrics(hub).bindTo(registry));
		}

	}

}
