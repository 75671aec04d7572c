package dev.tutti.benchmarks.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The shootout protocol on plain Spring WebSocket, registered at {@code /ws} as the
 * Spring Framework reference documentation suggests.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class BaselineShootoutConfiguration implements WebSocketConfigurer {

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(baselineShootoutHandler(), "/ws");
	}

	@Bean
	BaselineShootoutHandler baselineShootoutHandler() {
		return new BaselineShootoutHandler();
	}

}
