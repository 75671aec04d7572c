package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.server.WsServerContainer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Auto-configuration that sizes the per-connection buffers of an embedded Tomcat that
 * serves a Tutti {@link Hub} ({@code tutti.tomcat.*}): the WebSocket container's message
 * buffers, Tomcat's WebSocket frame buffers and the connector's socket buffers. With
 * Tomcat's defaults they cost an idle WebSocket connection most of its memory. It also
 * raises the connector's connection limit (see {@link #MAX_CONNECTIONS}).
 * <p>
 * Runs after {@link TuttiAutoConfiguration} so that it sees the auto-configured hub: it
 * applies only when the application has a {@code Hub} bean.
 * <p>
 * The frame buffer size is the one setting Tomcat reads once per JVM rather than per
 * server: see {@link TomcatFrameBufferSize}.
 */
@AutoConfiguration(after = TuttiAutoConfiguration.class)
@ConditionalOnClass({ Hub.class, ServletServerContainerFactoryBean.class, ConfigurableTomcatWebServerFactory.class,
		WsServerContainer.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Hub.class)
@EnableConfigurationProperties(TuttiProperties.class)
public final class TuttiTomcatAutoConfiguration {

	/**
	 * Connections the connector accepts unless {@code server.tomcat.max-connections} is
	 * set: Tomcat's default of 8,192 is low for a server of mostly idle WebSocket
	 * connections.
	 */
	public static final int MAX_CONNECTIONS = 100_000;

	/**
	 * Raise the connector's connection limit to {@link #MAX_CONNECTIONS}, unless the
	 * application sets {@code server.tomcat.max-connections}. Past the limit Tomcat
	 * leaves new connections in the accept queue, where their handshakes time out.
	 */
	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> tuttiTomcatMaxConnections(Environment environment) {
		boolean set = environment.containsProperty("server.tomcat.max-connections");
		return (factory) -> {
			if (!set) {
				factory.addConnectorCustomizers((connector) -> {
					if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
						protocol.setMaxConnections(MAX_CONNECTIONS);
					}
				});
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean(ServletServerContainerFactoryBean.class)
	ServerContainerBuffers tuttiServerContainerBuffers(TuttiProperties properties) {
		return new ServerContainerBuffers(
				bytes("tutti.tomcat.message-buffer-size", properties.getTomcat().getMessageBufferSize()));
	}

	@Bean
	TomcatFrameBufferSize tuttiTomcatFrameBufferSize(TuttiProperties properties) {
		return new TomcatFrameBufferSize(
				bytes("tutti.tomcat.frame-buffer-size", properties.getTomcat().getFrameBufferSize()));
	}

	/**
	 * Size the socket read and write buffers of every connector.
	 */
	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> tuttiTomcatSocketBuffers(
			TuttiProperties properties) {
		String size = Integer
			.toString(bytes("tutti.tomcat.socket-buffer-size", properties.getTomcat().getSocketBufferSize()));
		return (factory) -> factory.addConnectorCustomizers((connector) -> {
			setSocketProperty(connector, "socket.appReadBufSize", size);
			setSocketProperty(connector, "socket.appWriteBufSize", size);
		});
	}

	/**
	 * Return a buffer size in bytes.
	 * @throws InvalidConfigurationPropertyValueException naming the property if the size
	 * is not at least 1 byte and less than 2 GiB
	 */
	private static int bytes(String property, DataSize size) {
		long bytes = size.toBytes();
		if (bytes < 1 || bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(property, size,
					"A buffer size must be at least 1B and less than 2GB.");
		}
		return (int) bytes;
	}

	private static void setSocketProperty(Connector connector, String name, String value) {
		if (!connector.setProperty(name, value)) {
			LogFactory.getLog(TuttiTomcatAutoConfiguration.class)
				.warn("Tomcat connector " + connector + " has no property '" + name + "'; not sized by Tutti");
		}
	}

}
