package dev.tutti.spring.websocket;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import dev.tutti.CloseStatus;
import dev.tutti.Hub;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutting the application down while clients are connected: every hub closes its
 * sessions with 1001 after their queued messages, before the embedded Tomcat stops. Each
 * test starts an application of its own and closes it.
 */
class GracefulShutdownIntegrationTests {

	private ConfigurableApplicationContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void messagesBroadcastJustBeforeShutdownArriveBeforeAGoingAwayClose() throws Exception {
		this.context = start();
		TuttiTestClient client = connect("/ws");
		List<String> messages = messages("tutti");
		Hub hub = this.context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class);
		messages.forEach(hub::broadcast);
		this.context.close();
		for (String message : messages) {
			assertThat(client.awaitText()).isEqualTo(message);
		}
		assertThat(client.awaitClose()).isEqualTo(CloseStatus.GOING_AWAY);
	}

	@Test
	void aHubOfTheApplicationsOwnClosesTheSameWay() throws Exception {
		this.context = start();
		TuttiTestClient client = connect("/shout");
		TuttiTestClient tuttiClient = connect("/ws");
		List<String> messages = messages("shout");
		Hub hub = this.context.getBean("shoutHub", Hub.class);
		messages.forEach(hub::broadcast);
		this.context.close();
		for (String message : messages) {
			assertThat(client.awaitText()).isEqualTo(message);
		}
		assertThat(client.awaitClose()).isEqualTo(CloseStatus.GOING_AWAY);
		assertThat(tuttiClient.awaitClose()).isEqualTo(CloseStatus.GOING_AWAY);
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(IntegrationTestApplication.class).properties("server.port=0").run();
	}

	private TuttiTestClient connect(String path) {
		return TuttiTestClient.connect(URI.create("ws://localhost:" + port() + path));
	}

	private int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/**
	 * Return enough messages of a few KB each that writing them takes several writes.
	 */
	private static List<String> messages(String prefix) {
		return IntStream.range(0, 200).mapToObj((i) -> prefix + "-" + i + "-" + "x".repeat(4000)).toList();
	}

}
