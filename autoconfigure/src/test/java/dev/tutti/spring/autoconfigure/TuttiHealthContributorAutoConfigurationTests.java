package dev.tutti.spring.autoconfigure;

import java.util.Map;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.spring.actuate.TuttiHealthIndicator;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuttiHealthContributorAutoConfiguration}.
 */
class TuttiHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiHealthContributorAutoConfiguration.class))
		.withUserConfiguration(HubsConfiguration.class);

	@Test
	void reportsOnEveryHub() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TuttiHealthIndicator.class);
			Health health = context.getBean(TuttiHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("hubs")).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsOnlyKeys("chat", "feed");
		});
	}

	@Test
	void reportsOnTheAutoConfiguredHub() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(TuttiHealthIndicator.class).health().getDetails().get("hubs"))
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsOnlyKeys(HubConfig.DEFAULT_NAME));
	}

	@Test
	void isRegisteredAsTutti() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(HealthContributorRegistry.class).getContributor("tutti"))
				.isSameAs(context.getBean(TuttiHealthIndicator.class)));
	}

	@Test
	void noIndicatorWithoutHubs() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TuttiHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TuttiHealthIndicator.class));
	}

	@Test
	void noIndicatorWithoutHealthSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TuttiHealthIndicator.class));
	}

	@Test
	void noIndicatorWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.tutti.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TuttiHealthIndicator.class));
	}

	@Test
	void noIndicatorWhenDefaultIndicatorsAreDisabled() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TuttiHealthIndicator.class));
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false", "management.health.tutti.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(TuttiHealthIndicator.class));
	}

	@Test
	void backsOffFromAUserIndicatorNamedTuttiHealthIndicator() {
		this.contextRunner.withBean("tuttiHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(TuttiHealthIndicator.class)
				.hasBean("tuttiHealthIndicator"));
	}

	@Test
	void backsOffFromAUserContributorNamedTuttiHealthContributor() {
		this.contextRunner.withBean("tuttiHealthContributor", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(TuttiHealthIndicator.class));
	}

	@Test
	void describesTheEnabledProperty() {
		Map<String, JsonNode> properties = ConfigurationMetadata
			.properties((name) -> name.startsWith("management.health.tutti."));
		assertThat(properties).containsOnlyKeys("management.health.tutti.enabled");
		JsonNode enabled = properties.get("management.health.tutti.enabled");
		assertThat(enabled.path("type").asString()).isEqualTo("java.lang.Boolean");
		assertThat(enabled.path("defaultValue").asBoolean()).isTrue();
		assertThat(enabled.path("description").asString()).isNotBlank().endsWith(".");
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

}
