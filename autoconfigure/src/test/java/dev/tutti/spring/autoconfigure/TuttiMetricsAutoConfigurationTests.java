package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TuttiMetricsAutoConfiguration}.
 */
class TuttiMetricsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				TuttiAutoConfiguration.class, TuttiMetricsAutoConfiguration.class));

	@Test
	void bindsTheMetersOfEveryHub() {
		this.contextRunner.withUserConfiguration(SecondHubConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TuttiMetricsAutoConfiguration.HubMetricsBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("tutti.sessions.active").tag("hub", "tutti").gauge().value()).isZero();
			assertThat(registry.get("tutti.sessions.active").tag("hub", "feed").gauge().value()).isZero();
			context.getBean("feed", Hub.class).broadcast("ping");
			assertThat(registry.get("tutti.broadcasts").tag("hub", "feed").counter().count()).isOne();
		});
	}

	@Test
	void canBeTurnedOff() {
		this.contextRunner.withPropertyValues("tutti.metrics.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(TuttiMetricsAutoConfiguration.HubMetricsBinder.class);
			assertThat(context.getBean(MeterRegistry.class).find("tutti.sessions.active").gauge()).isNull();
		});
	}

	@Test
	void backsOffWithoutARegistry() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(Hub.class).doesNotHaveBean(MeterBinder.class));
	}

	@Test
	void backsOffWithoutMicrometerAndTheHubStillWorks() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(Hub.class);
				assertThat(context).doesNotHaveBean(TuttiMetricsAutoConfiguration.HubMetricsBinder.class);
			});
	}

	@Test
	void backsOffToAUserBinder() {
		this.contextRunner.withUserConfiguration(UserBinderConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(TuttiMetricsAutoConfiguration.HubMetricsBinder.class)
				.hasBean("userBinder"));
	}

	@Configuration(proxyBeanMethods = false)
	static class SecondHubConfiguration {

		@Bean
		Hub feed() {
			return Hub.create(HubConfig.builder().name("feed").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBinderConfiguration {

		@Bean
		TuttiMetricsAutoConfiguration.HubMetricsBinder userBinder(ObjectProvider<Hub> hubs) {
			return new TuttiMetricsAutoConfiguration.HubMetricsBinder(hubs);
		}

	}

}
