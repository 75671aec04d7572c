package dev.tutti.spring.autoconfigure;

import dev.tutti.spring.websocket.FrameBufferSizeProperty;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.ConfigurableWebApplicationContext;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Tests for the embedded Tomcat buffer sizes of {@link TuttiAutoConfiguration}. Each test
 * starts without the frame buffer system property and puts back what was there before.
 */
class TuttiTomcatBuffersAutoConfigurationTests {

	private static final String FRAME_BUFFER_SIZE_PROPERTY = TuttiAutoConfiguration.TomcatBufferConfiguration.FRAME_BUFFER_SIZE_PROPERTY;

	@RegisterExtension
	final FrameBufferSizeProperty frameBufferSize = new FrameBufferSizeProperty();

	private final ServerContainer serverContainer = mock(ServerContainer.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class))
		.withInitializer((context) -> ((ConfigurableWebApplicationContext) context).getServletContext()
			.setAttribute(ServerContainer.class.getName(), this.serverContainer));

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
	void leavesAFrameBufferSizeSetOnTheCommandLine() {
		System.setProperty(FRAME_BUFFER_SIZE_PROPERTY, "4096");
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=2KB").run((context) -> {
			customizedConnector(context);
			assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isEqualTo("4096");
		});
	}

	@Test
	void failsWhenTheFrameBufferSizeIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.tomcat.frame-buffer-size=-1KB")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.frame-buffer-size", DataSize.ofKilobytes(-1)));
		assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isNull();
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
	void leavesTheMessageBuffersToAUserServletServerContainerFactoryBean() {
		this.contextRunner.withUserConfiguration(UserServerContainerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ServerContainerBuffers.class);
			verify(this.serverContainer).setDefaultMaxTextMessageBufferSize(64 * 1024);
			verify(this.serverContainer, never()).setDefaultMaxBinaryMessageBufferSize(anyInt());
		});
	}

	@Test
	void needsNoServerContainerInAMockServletEnvironment() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ServerContainerBuffers.class));
	}

	@Test
	void backsOffWithoutTomcat() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ConfigurableTomcatWebServerFactory.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("tuttiTomcatBuffers")
				.doesNotHaveBean(ServerContainerBuffers.class));
		assertThat(System.getProperty(FRAME_BUFFER_SIZE_PROPERTY)).isNull();
	}

	@Test
	void failsWhenTheSocketBufferSizeIsNotPositive() {
		this.contextRunner.withPropertyValues("tutti.tomcat.socket-buffer-size=0B")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.socket-buffer-size", DataSize.ofBytes(0)));
	}

	@Test
	void failsWhenTheMessageBufferSizeExceeds2GiB() {
		this.contextRunner.withPropertyValues("tutti.tomcat.message-buffer-size=3GB")
			.run((context) -> TuttiAutoConfigurationTests.assertInvalidProperty(context,
					"tutti.tomcat.message-buffer-size", DataSize.ofGigabytes(3)));
	}

	@SuppressWarnings("unchecked")
	private static Connector customizedConnector(AssertableWebApplicationContext context) {
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> customizer = context
			.getBean("tuttiTomcatBuffers", WebServerFactoryCustomizer.class);
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		customizer.customize(factory);
		Connector connector = new Connector();
		factory.getConnectorCustomizers().forEach((connectorCustomizer) -> connectorCustomizer.customize(connector));
		return connector;
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

}
