package dev.tutti.benchmarks.server;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Optional per-connection buffer sizes of the container for the baseline, for measuring
 * what an idle connection costs with the sizes Tutti's {@code tutti.tomcat.*} properties
 * set by default. Unset properties keep Tomcat's defaults.
 * <ul>
 * <li>{@code shootout.message-buffer-size}: the WebSocket text and binary message buffers
 * (Tomcat's default is 8 KiB; the text buffer holds chars, so twice the bytes).</li>
 * <li>{@code shootout.socket-buffer-size}: the connector's {@code socket.appReadBufSize}
 * and {@code socket.appWriteBufSize} (8 KiB by default).</li>
 * </ul>
 * Tomcat's frame output and encoder buffers are sized by the system property
 * {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE}, which must be set on the
 * command line.
 */
@Configuration(proxyBeanMethods = false)
public class ContainerBufferConfiguration {

	@Bean
	@ConditionalOnProperty("shootout.message-buffer-size")
	ServletServerContainerFactoryBean shootoutServerContainer(@Value("${shootout.message-buffer-size}") DataSize size) {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize((int) size.toBytes());
		container.setMaxBinaryMessageBufferSize((int) size.toBytes());
		return container;
	}

	@Bean
	@ConditionalOnProperty("shootout.socket-buffer-size")
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> shootoutSocketBuffers(
			@Value("${shootout.socket-buffer-size}") DataSize size) {
		String bytes = Long.toString(size.toBytes());
		return (factory) -> factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("socket.appReadBufSize", bytes);
			connector.setProperty("socket.appWriteBufSize", bytes);
		});
	}

}
