package dev.tutti.spring.websocket;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code tutti.concurrent-message-handling=true} a slow handler does not hold up the
 * next message of the same session.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "tutti.concurrent-message-handling=true")
class ConcurrentMessageHandlingIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	HubEvents events;

	private TuttiTestClient client;

	@BeforeEach
	void connect() {
		this.events.reset();
		this.client = TuttiTestClient.connect(URI.create("ws://localhost:" + this.port + "/ws"));
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void secondMessageIsHandledWhileTheFirstBlocks() {
		CountDownLatch release = new CountDownLatch(1);
		this.events.onMessage((session, text) -> {
			if (text.equals("first")) {
				boolean released = release.await(10, TimeUnit.SECONDS);
				session.write(released ? "first released" : "first timed out");
			}
			else {
				session.write(text + " handled");
				release.countDown();
			}
		});
		this.client.sendText("first");
		this.client.sendText("second");
		assertThat(this.client.awaitText()).isEqualTo("second handled");
		assertThat(this.client.awaitText()).isEqualTo("first released");
	}

}
