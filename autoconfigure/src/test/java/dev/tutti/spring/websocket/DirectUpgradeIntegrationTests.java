package dev.tutti.spring.websocket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the default way a hub's path is served: by a
 * {@link TuttiWebSocketServlet} of its own, not by Spring MVC's
 * {@code DispatcherServlet}, with Tutti's protocol engine or, in the build's
 * {@code standard-transport} execution, the container's Jakarta WebSocket implementation.
 * The other integration tests also run through Spring MVC (the {@code spring-mvc-path}
 * execution).
 */
class DirectUpgradeIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	ServletContext servletContext;

	@Autowired
	Environment environment;

	@Test
	void everyHubPathHasAServletOfItsOwn() {
		assertThat(mappings("tuttiWebSocketServlet/ws")).containsExactly("/ws");
		assertThat(mappings("tuttiWebSocketServlet/shout")).containsExactly("/shout");
		TuttiTestClient client = connect("/shout");
		client.sendText("hi");
		assertThat(client.awaitText()).isEqualTo("HI");
	}

	@Test
	void extensionsAreNegotiatedOnlyByTheContainersImplementation() throws IOException {
		RawWebSocketClient client = connectRaw("/ws?client=" + UUID.randomUUID(),
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"), 0);
		assertThat(client.status()).isEqualTo(101);
		if ("standard".equals(this.environment.getProperty("tutti.transport"))) {
			assertThat(client.responseHeaders()).containsKey("sec-websocket-extensions");
		}
		else {
			assertThat(client.responseHeaders()).doesNotContainKey("sec-websocket-extensions");
		}
	}

	@Test
	void requestWithAnotherMethodThanGetIsNotAllowed() throws IOException {
		List<String> response = exchange("POST /ws HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
		assertThat(response.get(0)).startsWith("HTTP/1.1 405");
		assertThat(response).contains("Allow: GET");
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void requestThatIsNotAnUpgradeIsBad() throws IOException {
		List<String> response = exchange("GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		assertThat(response.get(0)).startsWith("HTTP/1.1 400");
		assertThat(response).contains("Can \"Upgrade\" only to \"WebSocket\".");
		assertThat(this.events.connects()).isEmpty();
	}

	private List<String> mappings(String servletName) {
		ServletRegistration registration = this.servletContext.getServletRegistration(servletName);
		assertThat(registration).as(servletName).isNotNull();
		return new ArrayList<>(registration.getMappings());
	}

}
