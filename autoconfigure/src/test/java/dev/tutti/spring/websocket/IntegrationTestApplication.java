package dev.tutti.spring.websocket;

import java.util.Locale;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.spring.autoconfigure.HubEndpoint;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the integration tests run on an embedded Tomcat: the auto-configured
 * hub at {@code /ws}, customized by a {@link HubEvents}, and a second hub of the
 * application's own at {@code /shout} that echoes in capitals.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class IntegrationTestApplication {

	@Bean
	HubEvents hubEvents() {
		return new HubEvents();
	}

	@Bean
	Hub shoutHub() {
		Hub hub = Hub.create(HubConfig.builder().name("shout").build());
		hub.onMessage((session, text) -> session.write(text.toUpperCase(Locale.ROOT)));
		return hub;
	}

	@Bean
	HubEndpoint shoutEndpoint(Hub shoutHub) {
		return new HubEndpoint("/shout", shoutHub);
	}

}
