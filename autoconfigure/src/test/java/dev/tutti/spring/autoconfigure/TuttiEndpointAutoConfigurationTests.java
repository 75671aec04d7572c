package dev.tutti.spring.autoconfigure;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.spring.actuate.TuttiEndpoint;
import dev.tutti.spring.actuate.TuttiEndpointWebExtension;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuttiEndpointAutoConfiguration}.
 */
class TuttiEndpointAutoConfigurationTests {

	private static final String EXPOSED = "management.endpoints.web.exposure.include=tutti";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiEndpointAutoConfiguration.class))
		.withUserConfiguration(HubsConfiguration.class);

	@Test
	void createsTheEndpointOverEveryHubWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues(EXPOSED).run((context) -> {
			assertThat(context).hasSingleBean(TuttiEndpoint.class).hasSingleBean(TuttiEndpointWebExtension.class);
			assertThat(context.getBean(TuttiEndpoint.class).hubs().hubs()).containsOnlyKeys("chat", "feed");
		});
	}

	@Test
	void showsTheAutoConfiguredHub() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiEndpointAutoConfiguration.class))
			.withPropertyValues(EXPOSED)
			.run((context) -> assertThat(context.getBean(TuttiEndpoint.class).hubs().hubs())
				.containsOnlyKeys(HubConfig.DEFAULT_NAME));
	}

	@Test
	void noEndpointUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(TuttiEndpoint.class)
			.doesNotHaveBean(TuttiEndpointWebExtension.class));
	}

	@Test
	void noWebExtensionWhenExposedOverJmxOnly() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=tutti")
			.run((context) -> assertThat(context).hasSingleBean(TuttiEndpoint.class)
				.doesNotHaveBean(TuttiEndpointWebExtension.class));
	}

	@Test
	void noEndpointWhenItsAccessIsNone() {
		this.contextRunner.withPropertyValues(EXPOSED, "management.endpoint.tutti.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(TuttiEndpoint.class));
	}

	@Test
	void noEndpointWithoutHubs() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiEndpointAutoConfiguration.class))
			.withPropertyValues(EXPOSED)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TuttiEndpoint.class));
	}

	@Test
	void noEndpointWithoutActuator() {
		this.contextRunner.withPropertyValues(EXPOSED)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TuttiEndpoint.class));
	}

	@Test
	void backsOffFromAUserEndpoint() {
		this.contextRunner.withPropertyValues(EXPOSED)
			.withUserConfiguration(UserEndpointConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(TuttiEndpoint.class).hasBean("userEndpoint");
				assertThat(context.getBean(TuttiEndpoint.class).hubs().hubs()).containsOnlyKeys("chat");
				assertThat(context).hasSingleBean(TuttiEndpointWebExtension.class);
			});
	}

	@Test
	void backsOffFromAUserWebExtension() {
		this.contextRunner.withPropertyValues(EXPOSED)
			.withBean("userWebExtension", TuttiEndpointWebExtension.class,
					() -> new TuttiEndpointWebExtension(new TuttiEndpoint(Map.of(), 1)))
			.run((context) -> assertThat(context).hasSingleBean(TuttiEndpointWebExtension.class)
				.hasBean("userWebExtension"));
	}

	@Test
	void listsTenTopSessionsByDefault() {
		this.contextRunner.withPropertyValues(EXPOSED).run((context) -> {
			assertThat(context.getBean(TuttiEndpointProperties.class).getTopSessions()).isEqualTo(10);
			assertThat(context.getBean(TuttiEndpoint.class)).extracting("topSessions").isEqualTo(10);
		});
	}

	@Test
	void bindsTheNumberOfTopSessions() {
		this.contextRunner.withPropertyValues(EXPOSED, "management.endpoint.tutti.top-sessions=3")
			.run((context) -> assertThat(context.getBean(TuttiEndpoint.class)).extracting("topSessions").isEqualTo(3));
	}

	@Test
	void negativeTopSessionsFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues(EXPOSED, "management.endpoint.tutti.top-sessions=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("management.endpoint.tutti.top-sessions")
				.hasMessageContaining("-1"));
	}

	@Test
	void leavesOutPrototypeHubs() {
		this.contextRunner.withPropertyValues(EXPOSED)
			.withUserConfiguration(PrototypeHubConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(TuttiEndpoint.class).hubs().hubs()).containsOnlyKeys("chat", "feed");
				assertThat(context.getBean(PrototypeHubConfiguration.class).created).hasValue(0);
			});
	}

	@Test
	void describesItsProperties() {
		Map<String, JsonNode> properties = ConfigurationMetadata
			.properties((name) -> name.startsWith("management.endpoint.tutti."));
		assertThat(properties).containsOnlyKeys("management.endpoint.tutti.access",
				"management.endpoint.tutti.cache.time-to-live", "management.endpoint.tutti.top-sessions");
		assertThat(properties.get("management.endpoint.tutti.access").path("defaultValue").asString())
			.isEqualTo("read_only");
		JsonNode topSessions = properties.get("management.endpoint.tutti.top-sessions");
		assertThat(topSessions.path("defaultValue").asInt()).isEqualTo(new TuttiEndpointProperties().getTopSessions());
		assertThat(topSessions.path("description").asString()).isNotBlank().endsWith(".");
	}

	@Configuration(proxyBeanMethods = false)
	static class HubsConfiguration {

		@Bean
		Hub chatHub() {
			return Hub.create(HubConfig.builder().name("chat").build());
		}

		@Bean
		Hub feedHub() {
			return Hub.create(HubConfig.builder().name("feed").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfiguration {

		@Bean
		TuttiEndpoint userEndpoint(Hub chatHub) {
			return new TuttiEndpoint(Map.of("chatHub", chatHub), 1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeHubConfiguration {

		final AtomicInteger created = new AtomicInteger();

		@Bean
		@Scope(BeanDefinition.SCOPE_PROTOTYPE)
		Hub prototypeHub() {
			this.created.incrementAndGet();
			return Hub.create(HubConfig.builder().name("prototype").build());
		}

	}

}
