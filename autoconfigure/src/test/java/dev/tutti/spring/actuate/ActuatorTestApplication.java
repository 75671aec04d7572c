package dev.tutti.spring.actuate;

import java.util.List;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.spring.autoconfigure.HubEndpoint;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the actuator integration tests run on an embedded Tomcat: the
 * auto-configured hub at {@code /ws}, whose clients join the rooms named by their
 * {@code room} query parameters, and a second hub named {@code feed} at {@code /feed}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ActuatorTestApplication {

	@Bean
	TuttiHubCustomizer joinRoomsFromTheQuery() {
		return (hub) -> hub
			.onConnect((session) -> session.queryParameters().getOrDefault("room", List.of()).forEach(session::join));
	}

	@Bean
	Hub feedHub() {
		return Hub.create(HubConfig.builder().name("feed").build());
	}

	@Bean
	HubEndpoint feedEndpoint(Hub feedHub) {
		return new HubEndpoint("/feed", feedHub);
	}

}
