package dev.tutti.benchmarks.server;

import dev.tutti.BroadcastResult;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.Session;
import dev.tutti.spring.autoconfigure.HubEndpoint;
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
 * ({@code /ws} by default), the hub's statistics at {@code GET /shootout/hub} (see
 * {@link HubStats}; {@code --shootout.rooms=N} puts every session in one of N rooms), and
 * a second hub at {@value #ECHO_PATH} that echoes every text and binary message verbatim
 * (same type, same bytes, same order), for protocol conformance tests such as
 * Autobahn|Testsuite's. Both hubs follow the {@code tutti.*} properties.
 * <p>
 * {@code --shootout.warm-up-connections=N} (0 by default) opens and closes N connections
 * to the hub's path as the server starts, {@code shootout.warm-up-batch} (200) at once,
 * and logs how long it took (see {@link ConnectionWarmUp}).
 */
@Configuration(proxyBeanMethods = false)
public class TuttiShootoutConfiguration {

	/** Path of the echo hub. */
	public static final String ECHO_PATH = "/echo";

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
	ConnectionWarmUp connectionWarmUp(@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME) Hub hub,
			@Value("${tutti.path:/ws}") String path, @Value("${shootout.warm-up-connections:0}") int connections,
			@Value("${shootout.warm-up-batch:200}") int batch) {
		return new ConnectionWarmUp(hub, path, connections, batch);
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
