package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.TuttiObservations;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that makes the handshakes and handled inbound messages of every
 * {@link Hub} bean Micrometer observations ({@link TuttiObservations}), when Micrometer
 * Observation and an {@link ObservationRegistry} bean are present (as with Spring Boot
 * Actuator). With Micrometer Tracing, each becomes a span. Set
 * {@code tutti.observations.enabled=false} to turn it off.
 */
@AutoConfiguration(after = TuttiAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ Hub.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "tutti.observations.enabled", matchIfMissing = true)
public final class TuttiObservationAutoConfiguration {

	@Bean
	HubObservations tuttiHubObservations(ObjectProvider<Hub> hubs, ObjectProvider<ObservationRegistry> registry) {
		return new HubObservations(hubs, registry);
	}

	/**
	 * Observes every hub bean once the singletons are created, before the web server
	 * accepts connections.
	 */
	static final class HubObservations implements SmartInitializingSingleton {

		private final ObjectProvider<Hub> hubs;

		private final ObjectProvider<ObservationRegistry> registry;

		HubObservations(ObjectProvider<Hub> hubs, ObjectProvider<ObservationRegistry> registry) {
			this.hubs = hubs;
			this.registry = registry;
		}

		@Override
		public void afterSingletonsInstantiated() {
			ObservationRegistry registry = this.registry.getObject();
			this.hubs.orderedStream().forEach((hub) -> TuttiObservations.observe(hub, registry));
		}

	}

}
