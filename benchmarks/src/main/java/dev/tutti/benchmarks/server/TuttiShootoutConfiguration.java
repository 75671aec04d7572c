package dev.tutti.benchmarks.server;

import dev.tutti.BroadcastResult;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shootout protocol on the auto-configured Tutti hub, mapped at {@code tutti.path}
 * ({@code /ws} by default).
 */
@Configuration(proxyBeanMethods = false)
public class TuttiShootoutConfiguration {

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

}
