package dev.tutti.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tutti.Codec;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.InvalidConfigException;
import dev.tutti.spring.json.JacksonJsonCodec;
import dev.tutti.spring.websocket.TuttiHandshakeInterceptor;
import dev.tutti.spring.websocket.TuttiWebSocketHandler;
import dev.tutti.spring.websocket.TuttiWebSocketServlet;
import jakarta.servlet.ServletRegistration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of a Tutti {@link Hub} served over Spring WebSocket: a hub named
 * {@code tuttiHub} with the {@link HubConfig} bean {@code tuttiHubConfig} (built from
 * {@link TuttiProperties}) and customized by every {@link TuttiHubCustomizer}, mapped at
 * {@code tutti.path}, plus every other {@link HubEndpoint} bean. Each endpoint is a
 * Spring MVC handler, and unless {@code tutti.direct-upgrade} is {@code false}, each
 * endpoint whose path has no pattern is also served by a {@link TuttiWebSocketServlet} of
 * its own, which the servlet container maps ahead of the {@code DispatcherServlet}. The
 * hub encodes and decodes JSON with the {@link Codec} bean, by default a
 * {@link JacksonJsonCodec} over the application's {@code JsonMapper}. When the
 * application shuts down, a {@link TuttiHubLifecycle} closes every hub before the web
 * server stops. The buffers of an embedded Tomcat are sized by
 * {@link TuttiTomcatAutoConfiguration}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass({ Hub.class, WebSocketHandler.class, DispatcherServlet.class, jakarta.websocket.Session.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(TuttiProperties.class)
public final class TuttiAutoConfiguration {

	/** Name of the auto-configured hub bean. */
	public static final String HUB_BEAN_NAME = "tuttiHub";

	/**
	 * Name of the {@link HubConfig} bean that holds the {@code tutti.*} settings. The
	 * auto-configured hub uses it; another hub that should follow the same properties can
	 * start from it with {@link HubConfig#toBuilder()}.
	 */
	public static final String HUB_CONFIG_BEAN_NAME = "tuttiHubConfig";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JsonCodecConfiguration {

		@Bean
		@ConditionalOnMissingBean(Codec.class)
		@ConditionalOnBean(JsonMapper.class)
		JacksonJsonCodec tuttiJsonCodec(JsonMapper jsonMapper) {
			return new JacksonJsonCodec(jsonMapper);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HubConfiguration {

		private static final String MAX_MESSAGE_SIZE = "tutti.max-message-size";

		/**
		 * The property that sets each {@link HubConfig.Builder} setting, by the name an
		 * {@link InvalidConfigException} gives it. The hub's name has none: the
		 * auto-configured hub has the core's default name.
		 */
		static final Map<String, String> SETTING_PROPERTIES = Map.ofEntries(
				Map.entry("writeTimeout", "tutti.write-timeout"), Map.entry("pongTimeout", "tutti.pong-timeout"),
				Map.entry("pingPeriod", "tutti.ping-period"), Map.entry("maxMessageSize", MAX_MESSAGE_SIZE),
				Map.entry("messageAssemblyTimeout", "tutti.message-assembly-timeout"),
				Map.entry("outboundBufferSize", "tutti.outbound-buffer-size"),
				Map.entry("outboundBufferBytes", "tutti.outbound-buffer-bytes"),
				Map.entry("overflowPolicy", "tutti.overflow-policy"), Map.entry("maxSessions", "tutti.max-sessions"),
				Map.entry("inboundMessagesPerSecond", "tutti.inbound-rate-limit.messages-per-second"),
				Map.entry("inboundBurst", "tutti.inbound-rate-limit.burst"),
				Map.entry("inboundRateLimitPolicy", "tutti.inbound-rate-limit.policy"),
				Map.entry("concurrentMessageHandling", "tutti.concurrent-message-handling"),
				Map.entry("messageTypeProperty", "tutti.json.type-property"),
				Map.entry("decodingErrorReply", "tutti.json.error-reply"),
				Map.entry("shutdownTimeout", "tutti.shutdown-timeout"));

		/**
		 * The {@code tutti.*} settings, reported against the property that holds an
		 * invalid value.
		 */
		@Bean(HUB_CONFIG_BEAN_NAME)
		@ConditionalOnMissingBean(name = HUB_CONFIG_BEAN_NAME)
		HubConfig tuttiHubConfig(TuttiProperties properties) {
			return hubConfig(properties);
		}

		@Bean(HUB_BEAN_NAME)
		@ConditionalOnMissingBean(name = HUB_BEAN_NAME)
		Hub tuttiHub(@Qualifier(HUB_CONFIG_BEAN_NAME) HubConfig config, ObjectProvider<Codec> codec,
				ObjectProvider<TuttiHubCustomizer> customizers) {
			Hub hub = Hub.create(config);
			codec.ifAvailable(hub::codec);
			customizers.orderedStream().forEach((customizer) -> customizer.customize(hub));
			return hub;
		}

		/**
		 * Close every hub, not only the auto-configured one, before the web server shuts
		 * down.
		 */
		@Bean
		@ConditionalOnMissingBean
		TuttiHubLifecycle tuttiHubLifecycle(ObjectProvider<Hub> hubs, TuttiProperties properties) {
			return new TuttiHubLifecycle(hubs, properties.getShutdownTimeout());
		}

		@Bean
		@ConditionalOnMissingBean(name = "tuttiHubEndpoint")
		HubEndpoint tuttiHubEndpoint(@Qualifier(HUB_BEAN_NAME) Hub hub, TuttiProperties properties) {
			return new HubEndpoint(properties.getPath(), hub);
		}

		/**
		 * Map every endpoint. Built without {@code ServletWebSocketHandlerRegistry}
		 * because the registry appends Spring's origin check after the given
		 * interceptors: here Tutti's interceptor checks the origin first, so a
		 * cross-origin request never reaches the hub's handshake handlers, and counts the
		 * refusal.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "tuttiHandlerMapping")
		HandlerMapping tuttiHandlerMapping(ObjectProvider<HubEndpoint> endpoints, TuttiProperties properties) {
			Map<String, Object> urlMap = new LinkedHashMap<>();
			endpoints.orderedStream().forEach((endpoint) -> {
				if (urlMap.containsKey(endpoint.path())) {
					throw new IllegalStateException("More than one HubEndpoint is mapped to '" + endpoint.path() + "'");
				}
				WebSocketHttpRequestHandler handler = new WebSocketHttpRequestHandler(
						new TuttiWebSocketHandler(endpoint.hub()), new DefaultHandshakeHandler());
				handler.setHandshakeInterceptors(List.of(new TuttiHandshakeInterceptor(endpoint.hub(),
						properties.getAllowedOrigins(), properties.getAllowedOriginPatterns())));
				urlMap.put(endpoint.path(), handler);
			});
			WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
			mapping.setUrlMap(urlMap);
			mapping.setOrder(1);
			return mapping;
		}

		/**
		 * Serve every endpoint of the handler mapping whose path has no pattern with a
		 * {@link TuttiWebSocketServlet} of its own, ahead of the
		 * {@code DispatcherServlet}, at the URL Spring MVC would serve it at (below
		 * {@code spring.mvc.servlet.path}).
		 */
		@Bean
		@ConditionalOnProperty(name = "tutti.direct-upgrade", havingValue = "true", matchIfMissing = true)
		@ConditionalOnMissingBean(name = "tuttiWebSocketServlets")
		ServletContextInitializer tuttiWebSocketServlets(
				@Qualifier("tuttiHandlerMapping") ObjectProvider<HandlerMapping> handlerMapping,
				Environment environment, TuttiProperties properties) {
			boolean engine = properties.getTransport() == TuttiProperties.Transport.ENGINE;
			// Spring MVC's paths are below the DispatcherServlet's own path, if it has
			// one
			String prefix = environment.getProperty("spring.mvc.servlet.path", "");
			String servletPath = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
			return (servletContext) -> {
				if (!(handlerMapping.getIfAvailable() instanceof SimpleUrlHandlerMapping mapping)) {
					return;
				}
				mapping.getUrlMap().forEach((path, handler) -> {
					if (isExactPath(path) && handler instanceof WebSocketHttpRequestHandler requestHandler
							&& WebSocketHandlerDecorator
								.unwrap(requestHandler.getWebSocketHandler()) instanceof TuttiWebSocketHandler) {
						String urlPattern = servletPath + path;
						ServletRegistration.Dynamic registration = servletContext.addServlet(
								"tuttiWebSocketServlet" + urlPattern,
								new TuttiWebSocketServlet(urlPattern, requestHandler, engine));
						if (registration != null) {
							registration.addMapping(urlPattern);
							registration.setLoadOnStartup(1);
						}
					}
				});
			};
		}

		/**
		 * Whether a path has no pattern characters, so that a servlet mapping matches
		 * exactly the requests Spring MVC's mapping would.
		 */
		static boolean isExactPath(String path) {
			for (int i = 0; i < path.length(); i++) {
				char c = path.charAt(i);
				if (c == '*' || c == '?' || c == '{' || c == '}') {
					return false;
				}
			}
			return true;
		}

		/**
		 * Map the properties onto the core settings, reporting an invalid value against
		 * the property that holds it.
		 * @throws InvalidConfigurationPropertyValueException naming the property and its
		 * value if the core rejects a setting or the maximum message size does not fit in
		 * an {@code int}
		 */
		static HubConfig hubConfig(TuttiProperties properties) {
			try {
				HubConfig.Builder builder = HubConfig.builder()
					.writeTimeout(properties.getWriteTimeout())
					.pongTimeout(properties.getPongTimeout())
					.maxMessageSize(maxMessageSize(properties.getMaxMessageSize()))
					.messageAssemblyTimeout(properties.getMessageAssemblyTimeout())
					.outboundBufferSize(properties.getOutboundBufferSize())
					.outboundBufferBytes(properties.getOutboundBufferBytes().toBytes())
					.overflowPolicy(properties.getOverflowPolicy())
					.maxSessions(properties.getMaxSessions())
					.inboundMessagesPerSecond(properties.getInboundRateLimit().getMessagesPerSecond())
					.inboundBurst(properties.getInboundRateLimit().getBurst())
					.inboundRateLimitPolicy(properties.getInboundRateLimit().getPolicy())
					.concurrentMessageHandling(properties.isConcurrentMessageHandling())
					.messageTypeProperty(properties.getJson().getTypeProperty())
					.decodingErrorReply(properties.getJson().isErrorReply())
					.shutdownTimeout(properties.getShutdownTimeout());
				Duration pingPeriod = properties.getPingPeriod();
				if (pingPeriod != null) {
					builder.pingPeriod(pingPeriod);
				}
				return builder.build();
			}
			catch (InvalidConfigException ex) {
				String name = SETTING_PROPERTIES.get(ex.getSetting());
				if (name == null) {
					throw ex;
				}
				Object value = name.equals(MAX_MESSAGE_SIZE) ? properties.getMaxMessageSize() : ex.getValue();
				throw new InvalidConfigurationPropertyValueException(name, value, ex.getReason());
			}
		}

		/**
		 * Return the maximum message size in bytes, for the core to check.
		 * @throws InvalidConfigurationPropertyValueException if the size is 2GB or more
		 */
		private static int maxMessageSize(DataSize size) {
			long bytes = size.toBytes();
			if (bytes > Integer.MAX_VALUE) {
				throw new InvalidConfigurationPropertyValueException(MAX_MESSAGE_SIZE, size,
						"The maximum message size must be less than 2GB.");
			}
			// A size below the int range is as invalid as 0 and gets the core's report
			return (int) Math.max(bytes, Integer.MIN_VALUE);
		}

	}

}
