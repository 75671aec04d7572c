package dev.tutti.spring.autoconfigure;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import dev.tutti.HandshakeRequest;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuttiObservationAutoConfiguration}.
 */
class TuttiObservationAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiObservationAutoConfiguration.class))
		.withUserConfiguration(RegistryConfiguration.class);

	@Test
	void observesTheHandshakesOfEveryHub() {
		this.contextRunner.withUserConfiguration(SecondHubConfiguration.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			handshake(context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class));
			handshake(context.getBean("feed", Hub.class));
			TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("tutti.handshake", 2)
				.hasAnObservationWithAKeyValue("hub", "tutti")
				.hasAnObservationWithAKeyValue("hub", "feed");
		});
	}

	@Test
	void canBeTurnedOff() {
		this.contextRunner.withPropertyValues("tutti.observations.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(TuttiObservationAutoConfiguration.HubObservations.class);
			handshake(context.getBean(Hub.class));
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.doesNotHaveAnyObservation();
		});
	}

	@Test
	void backsOffWithoutARegistry() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(Hub.class)
				.doesNotHaveBean(TuttiObservationAutoConfiguration.HubObservations.class));
	}

	@Test
	void backsOffWithoutMicrometerObservationAndTheHubStillWorks() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiObservationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Hub.class);
				assertThat(context).doesNotHaveBean(TuttiObservationAutoConfiguration.HubObservations.class);
				assertThat(handshake(context.getBean(Hub.class))).isTrue();
			});
	}

	private static boolean handshake(Hub hub) {
		HandshakeRequest request = new HandshakeRequest(URI.create("ws://localhost/ws"), Map.of(), null,
				InetSocketAddress.createUnresolved("client.example", 40000));
		return hub.handshake(request).result().accepted();
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondHubConfiguration {

		@Bean
		Hub feed() {
			return Hub.create(HubConfig.builder().name("feed").build());
		}

	}

}
