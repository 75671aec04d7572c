package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.spring.actuate.TuttiHealthIndicator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link TuttiHealthIndicator tutti health indicator} over
 * every singleton {@link Hub} bean. Applies when Spring Boot's health support is on the
 * class path, unless {@code management.health.tutti.enabled} is {@code false}.
 */
@AutoConfiguration(after = TuttiAutoConfiguration.class)
@ConditionalOnClass({ Hub.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Hub.class)
@ConditionalOnEnabledHealthIndicator("tutti")
public final class TuttiHealthContributorAutoConfiguration {

	/**
	 * Report on every singleton hub. Prototype hubs are left out: looking them up would
	 * create new ones.
	 */
	@Bean
	@ConditionalOnMissingBean(name = { "tuttiHealthIndicator", "tuttiHealthContributor" })
	TuttiHealthIndicator tuttiHealthIndicator(ListableBeanFactory beanFactory) {
		return new TuttiHealthIndicator(beanFactory.getBeansOfType(Hub.class, false, true));
	}

}
