package dev.tutti.benchmarks.server;

import dev.tutti.BroadcastResult;
import dev.tutti.Hub;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The shootout protocol on the auto-configured Tutti hub, mapped at {@code tutti.path}
 * ({@code /ws} by default), and the hub's statistics at {@code GET /shootout/hub} (see
 * {@link HubStats}). {@code --shootout.rooms=N} puts every session in one of N rooms.
 */
@Configuration(proxyBeanMethods = false)
public class TuttiShootoutConfiguration {

	@Bean
	HubStats hubStats(@Value("${shootout.rooms:0}") int rooms) {
		return new HubStats(rooms);
	}

	@Bean
	TuttiHubCustomizer hubStatsHandlers(HubStats stats) {
		return stats::register;
	}

	@Bean
	RouterFunction<ServerResponse> hubStatsRoute(HubStats stats,
			@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME) Hub hub) {
		return RouterFunctions.route()
			.GET("/shootout/hub",
					(request) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(stats.json(hub)))
			.build();
	}

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
