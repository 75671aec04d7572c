package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.Map;

import dev.tutti.test.RawWebSocketClient;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the per-connection buffer sizes on a real embedded Tomcat. That
 * messages far larger than the buffers still arrive whole is tested by
 * {@link MessagingIntegrationTests}.
 */
class TomcatBuffersIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	ServletContext servletContext;

	@Autowired
	WebServerApplicationContext context;

	@Test
	void serverContainerAllocates1KiBMessageBuffersPerConnection() {
		ServerContainer container = (ServerContainer) this.servletContext.getAttribute(ServerContainer.class.getName());
		assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(1024);
		assertThat(container.getDefaultMaxBinaryMessageBufferSize()).isEqualTo(1024);
	}

	@Test
	void connectorAcceptsUpTo100000Connections() {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		assertThat(((AbstractProtocol<?>) connector.getProtocolHandler()).getMaxConnections()).isEqualTo(100_000);
	}

	@Test
	void tomcatSizesItsFrameBuffersFromTheSystemPropertySetAtStartup() {
		assertThat(System.getProperty("org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE")).isEqualTo("1024");
	}

	@Test
	void outboundTextLargerThanTheFrameBufferLeavesAsOneFrame() throws Exception {
		RawWebSocketClient client = connectRaw("/ws?client=frames", Map.of(), 0);
		String text = "x".repeat(3000);
		client.sendText(text);
		RawWebSocketClient.Frame frame = client.readMessageFrame(Duration.ofSeconds(10));
		assertThat(frame.fin()).isTrue();
		assertThat(frame.text()).isEqualTo(text);
	}

	@Test
	void connectorAllocates2KiBSocketBuffersPerConnection() {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		assertThat(connector.getProperty("socket.appReadBufSize")).isEqualTo("2048");
		assertThat(connector.getProperty("socket.appWriteBufSize")).isEqualTo("2048");
	}

}
