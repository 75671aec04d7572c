package dev.tutti.spring.autoconfigure;

import java.util.HashSet;
import java.util.Set;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.InvalidConfigException;
import dev.tutti.spring.websocket.TuttiHandshakeInterceptor;
import dev.tutti.spring.websocket.TuttiWebSocketHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;

/**
 * Auto-configuration of a Tutti {@link Hub} served over Spring WebSocket: a hub named
 * {@code tuttiHub} configured from {@link TuttiProperties} and customized by every
 * {@link TuttiHubCustomizer}, mapped at {@code tutti.path}, plus every other
 * {@link HubEndpoint} bean.
 */
@AutoConfiguration(afterName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnClass({ Hub.class, WebSocketHandler.class, DispatcherServlet.class, jakarta.websocket.Session.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(TuttiProperties.class)
public final class TuttiAutoConfiguration {

	/** Name of the auto-configured hub bean. */
	public static final String HUB_BEAN_NAME = "tuttiHub";

	@Configuration(proxyBeanMethods = false)
	static class HubConfiguration {

		@Bean(HUB_BEAN_NAME)
		@ConditionalOnMissingBean(name = HUB_BEAN_NAME)
		Hub tuttiHub(TuttiProperties properties, ObjectProvider<TuttiHubCustomizer> customizers) {
			Hub hub = Hub.create(hubConfig(properties));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(hub));
			return hub;
		}

		@Bean
		@ConditionalOnMissingBean(name = "tuttiHubEndpoint")
		HubEndpoint tuttiHubEndpoint(@Qualifier(HUB_BEAN_NAME) Hub hub, TuttiProperties properties) {
			return new HubEndpoint(properties.getPath(), hub);
		}

		@Bean
		@ConditionalOnMissingBean(name = "tuttiHandlerMapping")
		HandlerMapping tuttiHandlerMapping(ObjectProvider<HubEndpoint> endpoints, TuttiProperties properties) {
			ServletWebSocketHandlerRegistry registry = new ServletWebSocketHandlerRegistry();
			Set<String> paths = new HashSet<>();
			endpoints.orderedStream().forEach((endpoint) -> {
				if (!paths.add(endpoint.path())) {
					throw new IllegalStateException("More than one HubEndpoint is mapped to '" + endpoint.path() + "'");
				}
				registry.addHandler(new TuttiWebSocketHandler(endpoint.hub()), endpoint.path())
					.addInterceptors(new TuttiHandshakeInterceptor(endpoint.hub()))
					.setAllowedOrigins(properties.getAllowedOrigins().toArray(String[]::new))
					.setAllowedOriginPatterns(properties.getAllowedOriginPatterns().toArray(String[]::new));
			});
			return registry.getHandlerMapping();
		}

		/**
		 * Map the properties onto the core settings, reporting an invalid value against
		 * the property that holds it.
		 */
		static HubConfig hubConfig(TuttiProperties properties) {
			long maxMessageSize = properties.getMaxMessageSize().toBytes();
			try {
				return HubConfig.builder()
					.writeTimeout(properties.getWriteTimeout())
					.pongTimeout(properties.getPongTimeout())
					.pingPeriod(properties.getPingPeriod())
					.maxMessageSize((int) Math.min(Integer.MAX_VALUE, maxMessageSize))
					.outboundBufferSize(properties.getOutboundBufferSize())
					.overflowPolicy(properties.getOverflowPolicy())
					.concurrentMessageHandling(properties.isConcurrentMessageHandling())
					.build();
			}
			catch (InvalidConfigException ex) {
				String name = "tutti."
						+ ex.getSetting().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
				Object value = name.equals("tutti.max-message-size") ? properties.getMaxMessageSize() : ex.getValue();
				throw new InvalidConfigurationPropertyValueException(name, value, ex.getReason());
			}
		}

	}

}
