package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.spring.actuate.TuttiEndpoint;
import dev.tutti.spring.actuate.TuttiEndpointWebExtension;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link TuttiEndpoint tutti actuator endpoint} over every
 * singleton {@link Hub} bean, with its {@link TuttiEndpointWebExtension} when the
 * endpoint is exposed over HTTP. Applies when Spring Boot Actuator is on the class path
 * and the endpoint is available: accessible and exposed, which it is not by default. Its
 * default access is read-only (see {@link TuttiEndpoint}).
 */
@AutoConfiguration(after = TuttiAutoConfiguration.class)
@ConditionalOnClass({ Hub.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(TuttiEndpoint.class)
@EnableConfigurationProperties(TuttiEndpointProperties.class)
public final class TuttiEndpointAutoConfiguration {

	private static final String TOP_SESSIONS = "management.endpoint.tutti.top-sessions";

	/**
	 * Show every singleton hub. Prototype hubs are left out: looking them up would create
	 * new ones.
	 * @throws InvalidConfigurationPropertyValueException if the number of top sessions is
	 * negative
	 */
	@Bean
	@ConditionalOnBean(Hub.class)
	@ConditionalOnMissingBean
	TuttiEndpoint tuttiEndpoint(ListableBeanFactory beanFactory, TuttiEndpointProperties properties) {
		int topSessions = properties.getTopSessions();
		if (topSessions < 0) {
			throw new InvalidConfigurationPropertyValueException(TOP_SESSIONS, topSessions, "Must be zero or more.");
		}
		return new TuttiEndpoint(beanFactory.getBeansOfType(Hub.class, false, true), topSessions);
	}

	@Bean
	@ConditionalOnBean(TuttiEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	TuttiEndpointWebExtension tuttiEndpointWebExtension(TuttiEndpoint endpoint) {
		return new TuttiEndpointWebExtension(endpoint);
	}

}
