package dev.tutti.spring.autoconfigure;

import dev.tutti.Hub;
import dev.tutti.spring.websocket.FrameBufferSizeProperty;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.websocket.server.WsServerContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link TuttiTomcatAutoConfiguration}. Each test starts without the frame
 * buffer system property and puts back what was there before.
 */
@ExtendWith(OutputCaptureExtension.class)
class TuttiTomcatAutoConfigurationTests {

	private static final String FRAME_BUFFER_SIZE_PROPERTY = TomcatFrameBufferSize.PROPERTY;

	@RegisterExtension
	final FrameBufferSizeProperty frameBufferSize = new FrameBufferSizeProperty();

	private final ServerContainer serverContainer = mock(ServerContainer.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiTomcatAutoConfiguration.class))
		.withInitializer((context) -> context.getServletContext()
			.setAttribute(ServerContainer.class.getName(), this.serverContainer));

	@Test
	void isRegisteredAsAnAutoConfigurationAfterTheHubs() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.containsSubsequence(TuttiAutoConfiguration.class.getName(), TuttiTomcatAutoConfiguration.class.getName());
	}

	@Test
	void sizesTheFrameBuffersTo1KiB() {
		this.contextRunner.run((context) -> {
			customizedConnector(context);
			assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isEqualTo("1024");
		});
	}

	@Test
	void frameBufferSizeIsConfigurable() {
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=8KB").run((context) -> {
			customizedConnector(context);
			assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isEqualTo("8192");
		});
	}

	@Test
	void setsTheFrameBufferSizeFromOneBeanOnlyWhenTheServerIsCreated() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TomcatFrameBufferSize.class);
			assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isNull();
		});
	}

	@Test
	void leavesAFrameBufferSizeSetOnTheCommandLine(CapturedOutput output) {
		System.setProperty(FRAME_BUFFER_SIZE_PROPERTY, "4096");
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=2KB").run((context) -> {
			customizedConnector(context);
			assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isEqualTo("4096");
		});
		assertThat(output).contains("Tomcat's WebSocket frame buffers are 4096 bytes")
			.contains("tutti.tomcat.frame-buffer-size (2048 bytes) does not apply");
	}

	@Test
	void aSecondApplicationInTheJvmKeepsTheFrameBufferSizeOfTheFirst(CapturedOutput output) {
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=2KB")
			.run(TuttiTomcatAutoConfigurationTests::customizedConnector);
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=4KB").run((context) -> {
			customizedConnector(context);
			assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isEqualTo("2048");
		});
		assertThat(output).contains("tutti.tomcat.frame-buffer-size (4096 bytes) does not apply");
	}

	@Test
	void aSecondApplicationWithTheSameFrameBufferSizeLogsNothing(CapturedOutput output) {
		this.contextRunner.run(TuttiTomcatAutoConfigurationTests::customizedConnector);
		this.contextRunner.run(TuttiTomcatAutoConfigurationTests::customizedConnector);
		assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isEqualTo("1024");
		assertThat(output).doesNotContain("does not apply");
	}

	@Test
	void failsWhenTheFrameBufferSizeIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=-1KB")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.frame-buffer-size", DataSize.ofKilobytes(-1)));
		assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isNull();
	}

	@Test
	void failsWhenTheFrameBufferSizeIs2GiB() {
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=2GB")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.frame-buffer-size", DataSize.ofGigabytes(2)));
	}

	@Test
	void sizesTheSocketBuffersOfEveryConnectionTo2KiB() {
		this.contextRunner.run((context) -> {
			Connector connector = customizedConnector(context);
			assertThat(connector.getProperty("socket.appReadBufSize")).isEqualTo("2048");
			assertThat(connector.getProperty("socket.appWriteBufSize")).isEqualTo("2048");
		});
	}

	@Test
	void socketBufferSizeIsConfigurable() {
		this.contextRunner.withPropertyValues("tutti.tomcat.socket-buffer-size=8KB").run((context) -> {
			Connector connector = customizedConnector(context);
			assertThat(connector.getProperty("socket.appReadBufSize")).isEqualTo("8192");
			assertThat(connector.getProperty("socket.appWriteBufSize")).isEqualTo("8192");
		});
	}

	@Test
	void raisesTheConnectionLimitTo100000() {
		this.contextRunner.run((context) -> assertThat(maxConnections(customizedConnector(context)))
			.isEqualTo(TuttiTomcatAutoConfiguration.MAX_CONNECTIONS)
			.isEqualTo(100_000));
	}

	@Test
	void leavesAConnectionLimitTheApplicationSets() {
		int tomcatDefault = maxConnections(new Connector());
		this.contextRunner.withPropertyValues("server.tomcat.max-connections=500")
			.run((context) -> assertThat(maxConnections(customizedConnector(context))).isEqualTo(tomcatDefault));
	}

	@Test
	void failsWhenTheSocketBufferSizeIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.tomcat.socket-buffer-size=0B")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.socket-buffer-size", DataSize.ofBytes(0)));
	}

	@Test
	void sizesTheMessageBuffersOfTheServerContainerTo1KiB() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ServerContainerBuffers.class);
			verify(this.serverContainer).setDefaultMaxTextMessageBufferSize(1024);
			verify(this.serverContainer).setDefaultMaxBinaryMessageBufferSize(1024);
		});
	}

	@Test
	void messageBufferSizeIsConfigurable() {
		this.contextRunner.withPropertyValues("tutti.tomcat.message-buffer-size=16KB").run((context) -> {
			verify(this.serverContainer).setDefaultMaxTextMessageBufferSize(16384);
			verify(this.serverContainer).setDefaultMaxBinaryMessageBufferSize(16384);
		});
	}

	@Test
	void failsWhenTheMessageBufferSizeExceeds2GiB() {
		this.contextRunner.withPropertyValues("tutti.tomcat.message-buffer-size=3GB")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.message-buffer-size", DataSize.ofGigabytes(3)));
	}

	@Test
	void leavesTheMessageBuffersToAUserServletServerContainerFactoryBean() {
		this.contextRunner.withUserConfiguration(UserServerContainerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ServerContainerBuffers.class);
			verify(this.serverContainer).setDefaultMaxTextMessageBufferSize(64 * 1024);
			verify(this.serverContainer, never()).setDefaultMaxBinaryMessageBufferSize(anyInt());
		});
	}

	@Test
	void needsNoServerContainerInAMockServletEnvironment() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class, TuttiTomcatAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ServerContainerBuffers.class));
	}

	@Test
	void sizesTheBuffersForAUserHubWithoutTheHubAutoConfiguration() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiTomcatAutoConfiguration.class))
			.withUserConfiguration(UserHubConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(TomcatFrameBufferSize.class)
				.hasBean("tuttiTomcatSocketBuffers")
				.hasSingleBean(ServerContainerBuffers.class));
	}

	@Test
	void backsOffWithoutAHub() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiTomcatAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TomcatFrameBufferSize.class)
				.doesNotHaveBean("tuttiTomcatSocketBuffers")
				.doesNotHaveBean(ServerContainerBuffers.class));
	}

	@Test
	void backsOffWithoutTomcat() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ConfigurableTomcatWebServerFactory.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Hub.class)
				.doesNotHaveBean(TomcatFrameBufferSize.class)
				.doesNotHaveBean("tuttiTomcatSocketBuffers")
				.doesNotHaveBean(ServerContainerBuffers.class));
		assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isNull();
	}

	@Test
	void backsOffWithoutTomcatWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WsServerContainer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TomcatFrameBufferSize.class));
	}

	@Test
	void backsOffInAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TuttiTomcatAutoConfiguration.class))
			.withUserConfiguration(UserHubConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TomcatFrameBufferSize.class));
	}

	/**
	 * Apply every web server factory customizer of the context to a new factory, as
	 * creating the server does, and every connector customizer to a new connector.
	 */
	@SuppressWarnings("unchecked")
	private static Connector customizedConnector(AssertableWebApplicationContext context) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		context.getBeansOfType(WebServerFactoryCustomizer.class)
			.values()
			.forEach((customizer) -> customizer.customize(factory));
		Connector connector = new Connector();
		factory.getConnectorCustomizers().forEach((connectorCustomizer) -> connectorCustomizer.customize(connector));
		return connector;
	}

	private static int maxConnections(Connector connector) {
		return ((AbstractProtocol<?>) connector.getProtocolHandler()).getMaxConnections();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserServerContainerConfiguration {

		@Bean
		ServletServerContainerFactoryBean serverContainer() {
			ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
			container.setMaxTextMessageBufferSize(64 * 1024);
			return container;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHubConfiguration {

		@Bean
		Hub userHub() {
			return Hub.create();
		}

	}

}
