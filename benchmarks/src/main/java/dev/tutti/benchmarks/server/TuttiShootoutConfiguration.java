package dev.tutti.benchmarks.server;

import dev.tutti.BroadcastResult;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.Session;
import dev.tutti.spring.autoconfigure.HubEndpoint;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shootout protocol on the auto-configured Tutti hub, mapped at {@code tutti.path}
 * ({@code /ws} by default), and a second hub at {@value #ECHO_PATH} that echoes every
 * text and binary message verbatim (same type, same bytes, same order), for protocol
 * conformance tests such as Autobahn|Testsuite's. Both hubs follow the {@code tutti.*}
 * properties.
 */
@Configuration(proxyBeanMethods = false)
public class TuttiShootoutConfiguration {

	/** Path of the echo hub. */
	public static final String ECHO_PATH = "/echo";

	@Bean
	TuttiHubCustomizer shootoutHandlers() {
		return (hub) -> hub.onMessage((session, text) -> {
			ShootoutProtocol.Request request = ShootoutProtocol.parse(text);
			if (request == null) {
				return;
			}
			if (request.isEcho()) {
				session.write(text);
			}
			else if (request.isBroadcast()) {
				BroadcastResult result = hub.broadcast(ShootoutProtocol.broadcast(request.payload()));
				session.write(ShootoutProtocol.broadcastResult(request.payload(), result.recipients()));
			}
		});
	}

	@Bean
	Hub echoHub(@Qualifier(TuttiAutoConfiguration.HUB_CONFIG_BEAN_NAME) HubConfig config) {
		Hub hub = Hub.create(config.toBuilder().name("echo").build());
		hub.onMessage(Session::write);
		hub.onBinaryMessage(Session::writeBinary);
		return hub;
	}

	@Bean
	HubEndpoint echoEndpoint(@Qualifier("echoHub") Hub echoHub) {
		return new HubEndpoint(ECHO_PATH, echoHub);
	}

}
