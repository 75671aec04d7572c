package dev.tutti.spring.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.OverflowPolicy;
import dev.tutti.RateLimitPolicy;
import dev.tutti.spring.websocket.TuttiHandshakeInterceptor;
import dev.tutti.spring.websocket.TuttiWebSocketHandler;
import dev.tutti.spring.websocket.TuttiWebSocketServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link TuttiAutoConfiguration}.
 */
class TuttiAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class));

	@Test
	void createsAHubNamedTuttiHubMappedAtWs() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Hub.class).hasBean(TuttiAutoConfiguration.HUB_BEAN_NAME);
			Hub hub = hub(context);
			assertThat(hub.isClosed()).isFalse();
			assertThat(context).getBean(HubEndpoint.class).isEqualTo(new HubEndpoint("/ws", hub));
			assertThat(context).hasBean("tuttiHandlerMapping");
			assertThat(mappedHubs(context)).containsExactly(Map.entry("/ws", hub));
		});
	}

	@Test
	void servesEveryPathWithoutPatternsWithAServletOfItsOwn() {
		this.contextRunner.withBean("roomsEndpoint", HubEndpoint.class, () -> new HubEndpoint("/rooms/*", Hub.create()))
			.run((context) -> {
				ServletContext servletContext = mock();
				ServletRegistration.Dynamic registration = mock();
				given(servletContext.addServlet(anyString(), any(Servlet.class))).willReturn(registration);
				context.getBean("tuttiWebSocketServlets", ServletContextInitializer.class).onStartup(servletContext);
				then(servletContext).should()
					.addServlet(eq("tuttiWebSocketServlet/ws"), any(TuttiWebSocketServlet.class));
				then(servletContext).shouldHaveNoMoreInteractions();
				then(registration).should().addMapping("/ws");
			});
	}

	@Test
	void servesThePathBelowTheDispatcherServletsPath() {
		this.contextRunner.withPropertyValues("spring.mvc.servlet.path=/app/").run((context) -> {
			ServletContext servletContext = mock();
			ServletRegistration.Dynamic registration = mock();
			given(servletContext.addServlet(anyString(), any(Servlet.class))).willReturn(registration);
			context.getBean("tuttiWebSocketServlets", ServletContextInitializer.class).onStartup(servletContext);
			then(servletContext).should()
				.addServlet(eq("tuttiWebSocketServlet/app/ws"), any(TuttiWebSocketServlet.class));
			then(registration).should().addMapping("/app/ws");
		});
	}

	@Test
	void servesEveryPathThroughSpringMvcWhenDirectUpgradeIsOff() {
		this.contextRunner.withPropertyValues("tutti.direct-upgrade=false").run((context) -> {
			assertThat(context).doesNotHaveBean("tuttiWebSocketServlets");
			assertThat(mappedHubs(context)).containsExactly(Map.entry("/ws", hub(context)));
		});
	}

	@Test
	void onlyPathsWithoutPatternsAreExact() {
		assertThat(TuttiAutoConfiguration.HubConfiguration.isExactPath("/ws")).isTrue();
		assertThat(TuttiAutoConfiguration.HubConfiguration.isExactPath("/api/chat")).isTrue();
		assertThat(TuttiAutoConfiguration.HubConfiguration.isExactPath("/rooms/*")).isFalse();
		assertThat(TuttiAutoConfiguration.HubConfiguration.isExactPath("/rooms/{id}")).isFalse();
		assertThat(TuttiAutoConfiguration.HubConfiguration.isExactPath("/ws?")).isFalse();
	}

	@Test
	void mapsTheHubWithTuttisHandshakeInterceptorAloneSoThatItCountsRefusedOrigins() {
		this.contextRunner.run((context) -> {
			WebSocketHttpRequestHandler handler = requestHandler(context, "/ws");
			List<HandshakeInterceptor> interceptors = handler.getHandshakeInterceptors();
			assertThat(interceptors).singleElement().isInstanceOf(TuttiHandshakeInterceptor.class);
			assertThat(WebSocketHandlerDecorator.unwrap(handler.getWebSocketHandler()))
				.isInstanceOf(TuttiWebSocketHandler.class);
			assertThat(handler.getWebSocketHandler().supportsPartialMessages()).isTrue();
		});
	}

	@Test
	void appliesCustomizersInOrder() {
		this.contextRunner.withUserConfiguration(CustomizersConfiguration.class).run((context) -> {
			Hub hub = hub(context);
			assertThat(context.getBean(CustomizersConfiguration.class).calls).containsExactly(Map.entry("first", hub),
					Map.entry("second", hub), Map.entry("third", hub));
		});
	}

	@Test
	void backsOffFromAUserHubNamedTuttiHub() {
		this.contextRunner.withUserConfiguration(UserHubConfiguration.class, CustomizersConfiguration.class)
			.run((context) -> {
				Hub hub = hub(context);
				assertThat(context).hasSingleBean(Hub.class);
				assertThat(hub.config().name()).isEqualTo("user");
				assertThat(context.getBean(CustomizersConfiguration.class).calls).isEmpty();
				assertThat(mappedHubs(context)).containsExactly(Map.entry("/ws", hub));
			});
	}

	@Test
	void mapsAUserHubEndpointNextToTheAutoConfiguredOne() {
		this.contextRunner.withUserConfiguration(ChatEndpointConfiguration.class).run((context) -> {
			assertThat(context).getBeans(Hub.class).hasSize(2);
			Hub hub = hub(context);
			Hub chatHub = context.getBean("chatHub", Hub.class);
			assertThat(chatHub).isNotSameAs(hub);
			assertThat(mappedHubs(context)).containsOnly(Map.entry("/ws", hub), Map.entry("/chat", chatHub));
		});
	}

	@Test
	void failsWhenTwoEndpointsShareAPath() {
		this.contextRunner.withUserConfiguration(ChatEndpointConfiguration.class)
			.withPropertyValues("tutti.path=/chat")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(IllegalStateException.class)
					.hasMessage("More than one HubEndpoint is mapped to '/chat'");
			});
	}

	@Test
	void closesTheHubWithTheContext() {
		AtomicReference<Hub> hub = new AtomicReference<>();
		this.contextRunner.run((context) -> hub.set(hub(context)));
		assertThat(hub.get().isClosed()).isTrue();
	}

	@Test
	void closesEveryHubWhenTheContextStops() {
		this.contextRunner.withUserConfiguration(ChatEndpointConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TuttiHubLifecycle.class);
			assertThat(context.getBean(TuttiHubLifecycle.class).isRunning()).isTrue();
			context.getSourceApplicationContext().stop();
			assertThat(hub(context).isClosed()).isTrue();
			assertThat(context.getBean("chatHub", Hub.class).isClosed()).isTrue();
		});
	}

	@Test
	void leavesTheHubsOpenWhenTheContextPauses() {
		this.contextRunner.run((context) -> {
			context.getSourceApplicationContext().pause();
			assertThat(hub(context).isClosed()).isFalse();
			assertThat(context.getBean(TuttiHubLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void backsOffFromAUserHubLifecycle() {
		this.contextRunner.withUserConfiguration(UserHubLifecycleConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TuttiHubLifecycle.class).hasBean("userHubLifecycle");
			context.getSourceApplicationContext().stop();
			assertThat(hub(context).isClosed()).isFalse();
		});
	}

	@Test
	void backsOffWithoutSpringWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Hub.class).doesNotHaveBean(HubEndpoint.class));
	}

	@Test
	void backsOffWithoutJakartaWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("jakarta.websocket"))
			.run((context) -> assertThat(context).doesNotHaveBean(Hub.class));
	}

	@Test
	void backsOffWithoutSpringMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Hub.class));
	}

	@Test
	void backsOffWithoutTuttiCore() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Hub.class))
			.run((context) -> assertThat(context).doesNotHaveBean("tuttiHub"));
	}

	@Test
	void backsOffInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Hub.class).doesNotHaveBean(TuttiProperties.class));
	}

	@Test
	void backsOffInAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Hub.class));
	}

	@Test
	void bindsEveryProperty() {
		this.contextRunner
			.withPropertyValues("tutti.path=/live", "tutti.allowed-origins=https://a.example,https://b.example",
					"tutti.allowed-origin-patterns=https://*.c.example", "tutti.write-timeout=3s",
					"tutti.pong-timeout=20s", "tutti.ping-period=5s", "tutti.max-message-size=1MB",
					"tutti.message-assembly-timeout=7s", "tutti.outbound-buffer-size=32",
					"tutti.outbound-buffer-bytes=2MB", "tutti.overflow-policy=drop-oldest", "tutti.max-sessions=500",
					"tutti.inbound-rate-limit.messages-per-second=12.5", "tutti.inbound-rate-limit.burst=40",
					"tutti.inbound-rate-limit.policy=close", "tutti.concurrent-message-handling=true",
					"tutti.shutdown-timeout=30s")
			.run((context) -> {
				HubConfig config = hub(context).config();
				assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.pongTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(config.pingPeriod()).isEqualTo(Duration.ofSeconds(5));
				assertThat(config.maxMessageSize()).isEqualTo(1024 * 1024);
				assertThat(config.messageAssemblyTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(context.getBean(TuttiAutoConfiguration.HUB_CONFIG_BEAN_NAME)).isSameAs(config);
				assertThat(config.outboundBufferSize()).isEqualTo(32);
				assertThat(config.outboundBufferBytes()).isEqualTo(2 * 1024 * 1024);
				assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
				assertThat(config.maxSessions()).isEqualTo(500);
				assertThat(config.inboundMessagesPerSecond()).isEqualTo(12.5);
				assertThat(config.inboundBurst()).isEqualTo(40);
				assertThat(config.inboundRateLimitPolicy()).isEqualTo(RateLimitPolicy.CLOSE);
				assertThat(config.concurrentMessageHandling()).isTrue();
				assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(properties(context).getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(context.getBean(TuttiHubLifecycle.class)).extracting("shutdownTimeout")
					.isEqualTo(Duration.ofSeconds(30));
				assertThat(mappedHubs(context)).containsOnlyKeys("/live");
				TuttiHandshakeInterceptor origins = originInterceptor(context, "/live");
				assertThat(origins.getAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
				assertThat(origins.getAllowedOriginPatterns()).containsExactly("https://*.c.example");
			});
	}

	@Test
	void appliesTheAllowedOriginsToEveryEndpoint() {
		this.contextRunner.withUserConfiguration(ChatEndpointConfiguration.class)
			.withPropertyValues("tutti.allowed-origins=https://a.example")
			.run((context) -> {
				assertThat(originInterceptor(context, "/ws").getAllowedOrigins()).containsExactly("https://a.example");
				assertThat(originInterceptor(context, "/chat").getAllowedOrigins())
					.containsExactly("https://a.example");
			});
	}

	@Test
	void pathDefaultsToWs() {
		this.contextRunner.run((context) -> assertThat(properties(context).getPath()).isEqualTo("/ws"));
	}

	@Test
	void allowedOriginsDefaultToSameOriginOnly() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getAllowedOrigins()).isEmpty();
			assertThat(properties(context).getAllowedOriginPatterns()).isEmpty();
			assertThat(originInterceptor(context, "/ws").getAllowedOrigins()).isEmpty();
			assertThat(originInterceptor(context, "/ws").getAllowedOriginPatterns()).isEmpty();
		});
	}

	@Test
	void writeTimeoutDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getWriteTimeout()).isEqualTo(HubConfig.defaults().writeTimeout());
			assertThat(hub(context).config().writeTimeout()).isEqualTo(HubConfig.DEFAULT_WRITE_TIMEOUT);
		});
	}

	@Test
	void pongTimeoutDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getPongTimeout()).isEqualTo(HubConfig.defaults().pongTimeout());
			assertThat(hub(context).config().pongTimeout()).isEqualTo(HubConfig.DEFAULT_PONG_TIMEOUT);
		});
	}

	@Test
	void pingPeriodDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getPingPeriod()).isNull();
			assertThat(hub(context).config().pingPeriod()).isEqualTo(HubConfig.defaults().pingPeriod())
				.isEqualTo(HubConfig.DEFAULT_PING_PERIOD);
		});
	}

	@Test
	void pingPeriodFollowsAPongTimeoutSetAlone() {
		this.contextRunner.withPropertyValues("tutti.pong-timeout=10s")
			.run((context) -> assertThat(hub(context).config().pingPeriod()).isEqualTo(Duration.ofSeconds(9)));
	}

	@Test
	void maxMessageSizeDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getMaxMessageSize())
				.isEqualTo(DataSize.ofBytes(HubConfig.defaults().maxMessageSize()));
			assertThat(hub(context).config().maxMessageSize()).isEqualTo(HubConfig.DEFAULT_MAX_MESSAGE_SIZE);
		});
	}

	@Test
	void messageAssemblyTimeoutDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getMessageAssemblyTimeout())
				.isEqualTo(HubConfig.defaults().messageAssemblyTimeout());
			assertThat(hub(context).config().messageAssemblyTimeout())
				.isEqualTo(HubConfig.DEFAULT_MESSAGE_ASSEMBLY_TIMEOUT);
		});
	}

	@Test
	void failsWhenTheMessageAssemblyTimeoutIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.message-assembly-timeout=0s")
			.run((context) -> assertInvalidProperty(context, "tutti.message-assembly-timeout", Duration.ZERO));
	}

	@Test
	void usesAHubConfigBeanOfTheSameName() {
		this.contextRunner
			.withBean(TuttiAutoConfiguration.HUB_CONFIG_BEAN_NAME, HubConfig.class,
					() -> HubConfig.builder().name("own").build())
			.run((context) -> assertThat(hub(context).config().name()).isEqualTo("own"));
	}

	@Test
	void outboundBufferSizeDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getOutboundBufferSize())
				.isEqualTo(HubConfig.defaults().outboundBufferSize());
			assertThat(hub(context).config().outboundBufferSize()).isEqualTo(HubConfig.DEFAULT_OUTBOUND_BUFFER_SIZE);
		});
	}

	@Test
	void outboundBufferBytesDefaultToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getOutboundBufferBytes())
				.isEqualTo(DataSize.ofBytes(HubConfig.defaults().outboundBufferBytes()));
			assertThat(hub(context).config().outboundBufferBytes()).isEqualTo(HubConfig.DEFAULT_OUTBOUND_BUFFER_BYTES);
		});
	}

	@Test
	void maxSessionsDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getMaxSessions()).isEqualTo(HubConfig.defaults().maxSessions());
			assertThat(hub(context).config().maxSessions()).isEqualTo(HubConfig.UNLIMITED_SESSIONS);
		});
	}

	@Test
	void inboundRateLimitDefaultsToTheCoreDefaults() {
		this.contextRunner.run((context) -> {
			TuttiProperties.InboundRateLimit limit = properties(context).getInboundRateLimit();
			assertThat(limit.getMessagesPerSecond()).isEqualTo(HubConfig.defaults().inboundMessagesPerSecond());
			assertThat(limit.getPolicy()).isEqualTo(HubConfig.defaults().inboundRateLimitPolicy());
			assertThat(limit.getBurst()).isZero();
			assertThat(hub(context).config().inboundMessagesPerSecond()).isZero();
		});
	}

	@Test
	void inboundBurstDefaultsToOneSecondOfTheRate() {
		this.contextRunner.withPropertyValues("tutti.inbound-rate-limit.messages-per-second=20")
			.run((context) -> assertThat(hub(context).config().inboundBurst()).isEqualTo(20));
	}

	@Test
	void failsWhenTheOutboundBufferBytesAreNotPositive() {
		this.contextRunner.withPropertyValues("tutti.outbound-buffer-bytes=0B")
			.run((context) -> assertInvalidProperty(context, "tutti.outbound-buffer-bytes", 0L));
	}

	@Test
	void failsWhenMaxSessionsIsZero() {
		this.contextRunner.withPropertyValues("tutti.max-sessions=0")
			.run((context) -> assertInvalidProperty(context, "tutti.max-sessions", 0));
	}

	@Test
	void failsWhenTheInboundRateIsNegative() {
		this.contextRunner.withPropertyValues("tutti.inbound-rate-limit.messages-per-second=-1")
			.run((context) -> assertInvalidProperty(context, "tutti.inbound-rate-limit.messages-per-second", -1.0));
	}

	@Test
	void failsWhenTheInboundBurstIsNegative() {
		this.contextRunner.withPropertyValues("tutti.inbound-rate-limit.burst=-1")
			.run((context) -> assertInvalidProperty(context, "tutti.inbound-rate-limit.burst", -1));
	}

	@Test
	void overflowPolicyDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getOverflowPolicy()).isEqualTo(HubConfig.defaults().overflowPolicy());
			assertThat(hub(context).config().overflowPolicy()).isEqualTo(HubConfig.DEFAULT_OVERFLOW_POLICY);
		});
	}

	@Test
	void concurrentMessageHandlingDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).isConcurrentMessageHandling())
				.isEqualTo(HubConfig.defaults().concurrentMessageHandling());
			assertThat(hub(context).config().concurrentMessageHandling()).isFalse();
		});
	}

	@Test
	void shutdownTimeoutDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(properties(context).getShutdownTimeout()).isEqualTo(HubConfig.defaults().shutdownTimeout());
			assertThat(hub(context).config().shutdownTimeout()).isEqualTo(HubConfig.DEFAULT_SHUTDOWN_TIMEOUT);
		});
	}

	@Test
	void hubNameIsTheCoreDefault() {
		this.contextRunner
			.run((context) -> assertThat(hub(context).config().name()).isEqualTo(HubConfig.defaults().name()));
	}

	@Test
	void failsWhenThePingPeriodIsNotShorterThanThePongTimeout() {
		this.contextRunner.withPropertyValues("tutti.ping-period=60s", "tutti.pong-timeout=60s")
			.run((context) -> assertInvalidProperty(context, "tutti.ping-period", Duration.ofSeconds(60)));
	}

	@Test
	void failsWhenTheOutboundBufferSizeIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.outbound-buffer-size=0")
			.run((context) -> assertInvalidProperty(context, "tutti.outbound-buffer-size", 0));
	}

	@Test
	void failsWhenTheWriteTimeoutIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.write-timeout=0s")
			.run((context) -> assertInvalidProperty(context, "tutti.write-timeout", Duration.ZERO));
	}

	@Test
	void failsWhenThePongTimeoutIsNegative() {
		this.contextRunner.withPropertyValues("tutti.pong-timeout=-1s")
			.run((context) -> assertInvalidProperty(context, "tutti.pong-timeout", Duration.ofSeconds(-1)));
	}

	@Test
	void failsWhenThePingPeriodIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.ping-period=0ms")
			.run((context) -> assertInvalidProperty(context, "tutti.ping-period", Duration.ZERO));
	}

	@Test
	void failsWhenTheMaxMessageSizeIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.max-message-size=0B")
			.run((context) -> assertInvalidProperty(context, "tutti.max-message-size", DataSize.ofBytes(0)));
	}

	@Test
	void failsWhenTheShutdownTimeoutIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.shutdown-timeout=0s")
			.run((context) -> assertInvalidProperty(context, "tutti.shutdown-timeout", Duration.ZERO));
	}

	@Test
	void failsWhenTheMaxMessageSizeIs2GB() {
		this.contextRunner.withPropertyValues("tutti.max-message-size=2GB")
			.run((context) -> assertInvalidProperty(context, "tutti.max-message-size", DataSize.ofGigabytes(2)));
	}

	@Test
	void failsWhenTheMaxMessageSizeExceeds2GB() {
		this.contextRunner.withPropertyValues("tutti.max-message-size=3GB")
			.run((context) -> assertInvalidProperty(context, "tutti.max-message-size", DataSize.ofGigabytes(3)));
	}

	@Test
	void failsWhenTheMaxMessageSizeIsBelowMinus2GB() {
		this.contextRunner.withPropertyValues("tutti.max-message-size=-3GB")
			.run((context) -> assertInvalidProperty(context, "tutti.max-message-size", DataSize.ofGigabytes(-3)));
	}

	@Test
	void acceptsAMaxMessageSizeJustBelow2GB() {
		this.contextRunner.withPropertyValues("tutti.max-message-size=2147483647B")
			.run((context) -> assertThat(hub(context).config().maxMessageSize()).isEqualTo(Integer.MAX_VALUE));
	}

	@Test
	void failsWhenTheJsonTypePropertyIsBlank() {
		this.contextRunner.withPropertyValues("tutti.json.type-property=")
			.run((context) -> assertInvalidProperty(context, "tutti.json.type-property", ""));
	}

	@Test
	void mapsEveryCoreSettingButTheNameToItsProperty() {
		Set<String> settings = new TreeSet<>();
		for (Method method : HubConfig.Builder.class.getDeclaredMethods()) {
			if (Modifier.isPublic(method.getModifiers()) && method.getReturnType() == HubConfig.Builder.class) {
				settings.add(method.getName());
			}
		}
		settings.remove("name");
		assertThat(TuttiAutoConfiguration.HubConfiguration.SETTING_PROPERTIES).containsOnlyKeys(settings)
			.containsEntry("writeTimeout", "tutti.write-timeout")
			.containsEntry("pongTimeout", "tutti.pong-timeout")
			.containsEntry("pingPeriod", "tutti.ping-period")
			.containsEntry("maxMessageSize", "tutti.max-message-size")
			.containsEntry("messageAssemblyTimeout", "tutti.message-assembly-timeout")
			.containsEntry("outboundBufferSize", "tutti.outbound-buffer-size")
			.containsEntry("outboundBufferBytes", "tutti.outbound-buffer-bytes")
			.containsEntry("overflowPolicy", "tutti.overflow-policy")
			.containsEntry("maxSessions", "tutti.max-sessions")
			.containsEntry("inboundMessagesPerSecond", "tutti.inbound-rate-limit.messages-per-second")
			.containsEntry("inboundBurst", "tutti.inbound-rate-limit.burst")
			.containsEntry("inboundRateLimitPolicy", "tutti.inbound-rate-limit.policy")
			.containsEntry("concurrentMessageHandling", "tutti.concurrent-message-handling")
			.containsEntry("messageTypeProperty", "tutti.json.type-property")
			.containsEntry("decodingErrorReply", "tutti.json.error-reply")
			.containsEntry("shutdownTimeout", "tutti.shutdown-timeout");
		assertThat(TuttiPropertiesMetadataTests.bindable("tutti.", TuttiProperties.class))
			.containsAll(TuttiAutoConfiguration.HubConfiguration.SETTING_PROPERTIES.values());
	}

	static void assertInvalidProperty(AssertableWebApplicationContext context, String name, Object value) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.hasMessageContaining(name)
			.hasMessageContaining("'" + value + "'")
			.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
				assertThat(ex.getName()).isEqualTo(name);
				assertThat(ex.getValue()).isEqualTo(value);
			});
	}

	private static Hub hub(AssertableWebApplicationContext context) {
		return context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class);
	}

	private static TuttiProperties properties(AssertableWebApplicationContext context) {
		return context.getBean(TuttiProperties.class);
	}

	private static Map<String, Hub> mappedHubs(AssertableWebApplicationContext context) {
		SimpleUrlHandlerMapping mapping = context.getBean("tuttiHandlerMapping", SimpleUrlHandlerMapping.class);
		Map<String, Hub> hubs = new LinkedHashMap<>();
		mapping.getUrlMap().forEach((path, handler) -> {
			WebSocketHandler webSocketHandler = ((WebSocketHttpRequestHandler) handler).getWebSocketHandler();
			hubs.put(path, ((TuttiWebSocketHandler) WebSocketHandlerDecorator.unwrap(webSocketHandler)).getHub());
		});
		return hubs;
	}

	private static WebSocketHttpRequestHandler requestHandler(AssertableWebApplicationContext context, String path) {
		SimpleUrlHandlerMapping mapping = context.getBean("tuttiHandlerMapping", SimpleUrlHandlerMapping.class);
		return (WebSocketHttpRequestHandler) mapping.getUrlMap().get(path);
	}

	private static TuttiHandshakeInterceptor originInterceptor(AssertableWebApplicationContext context, String path) {
		return requestHandler(context, path).getHandshakeInterceptors()
			.stream()
			.filter(TuttiHandshakeInterceptor.class::isInstance)
			.map(TuttiHandshakeInterceptor.class::cast)
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		final List<Map.Entry<String, Hub>> calls = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		TuttiHubCustomizer secondCustomizer() {
			return (hub) -> this.calls.add(Map.entry("second", hub));
		}

		@Bean
		@Order(3)
		TuttiHubCustomizer thirdCustomizer() {
			return (hub) -> this.calls.add(Map.entry("third", hub));
		}

		@Bean
		@Order(1)
		TuttiHubCustomizer firstCustomizer() {
			return (hub) -> this.calls.add(Map.entry("first", hub));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHubConfiguration {

		@Bean
		Hub tuttiHub() {
			return Hub.create(HubConfig.builder().name("user").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHubLifecycleConfiguration {

		@Bean
		TuttiHubLifecycle userHubLifecycle() {
			return new TuttiHubLifecycle(new StaticListableBeanFactory().getBeanProvider(Hub.class),
					Duration.ofSeconds(1));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ChatEndpointConfiguration {

		@Bean
		Hub chatHub() {
			return Hub.create(HubConfig.builder().name("chat").build());
		}

		@Bean
		HubEndpoint chatEndpoint(Hub chatHub) {
			return new HubEndpoint("/chat", chatHub);
		}

	}

}
