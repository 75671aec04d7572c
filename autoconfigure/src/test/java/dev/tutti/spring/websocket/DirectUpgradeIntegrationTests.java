package dev.tutti.spring.websocket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.test.TuttiTestClient;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the default way a hub's path is served: by a
 * {@link TuttiWebSocketServlet} of its own, not by Spring MVC's
 * {@code DispatcherServlet}. The other integration tests run both ways (see the build's
 * {@code spring-mvc-path} execution).
 */
class DirectUpgradeIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	ServletContext servletContext;

	@Test
	void everyHubPathHasAServletOfItsOwn() {
		assertThat(mappings("tuttiWebSocketServlet/ws")).containsExactly("/ws");
		assertThat(mappings("tuttiWebSocketServlet/shout")).containsExactly("/shout");
		TuttiTestClient client = connect("/shout");
		client.sendText("hi");
		assertThat(client.awaitText()).isEqualTo("HI");
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
