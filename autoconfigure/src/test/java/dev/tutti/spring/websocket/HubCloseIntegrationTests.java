package dev.tutti.spring.websocket;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.tutti.CloseStatus;
import dev.tutti.Hub;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.Session;
import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.TuttiTestClient;
import dev.tutti.test.TuttiTestClientBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the hub while clients are connected or connecting. Each test closes the hub, so
 * each gets an application of its own.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class HubCloseIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME)
	Hub hub;

	@Autowired
	HubEvents events;

	@BeforeEach
	void resetEvents() {
		this.events.reset();
	}

	@Test
	void closeClosesEverySessionWithGoingAway() {
		List<TuttiTestClient> clients = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			clients.add(client().connect());
		}
		List<Session> sessions = clients.stream().map((client) -> this.events.session(client)).toList();
		assertThat(this.hub.size()).isEqualTo(5);
		this.hub.close();
		assertThat(this.hub.isClosed()).isTrue();
		assertThat(this.hub.size()).isZero();
		assertThat(this.hub.sessions()).isEmpty();
		for (TuttiTestClient client : clients) {
			assertThat(client.awaitClose()).isEqualTo(CloseStatus.GOING_AWAY);
		}
		assertThat(sessions).allMatch(Session::isClosed);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.events.disconnects().size() == 5);
		for (Session session : sessions) {
			assertThat(this.events.disconnectsOf(session)).containsExactly(CloseStatus.GOING_AWAY);
		}
		assertThat(this.events.errors()).isEmpty();
	}

	@Test
	void handshakesRacingCloseLeaveNoSessionRegistered() throws Exception {
		CountDownLatch firstConnected = new CountDownLatch(1);
		this.events.onConnect((session) -> firstConnected.countDown());
		List<CompletableFuture<TuttiTestClient>> attempts = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			attempts.add(client().connectAsync());
		}
		assertThat(firstConnected.await(10, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < 20; i++) {
			attempts.add(client().connectAsync());
		}
		this.hub.close();
		assertThat(this.hub.size()).isZero();
		int refused = 0;
		int closed = 0;
		for (CompletableFuture<TuttiTestClient> attempt : attempts) {
			try {
				TuttiTestClient client = attempt.orTimeout(10, TimeUnit.SECONDS).join();
				CloseStatus status = client.awaitClose();
				assertThat(status.code()).as("close status %s", status).isEqualTo(CloseStatus.GOING_AWAY.code());
				closed++;
			}
			catch (CompletionException ex) {
				assertThat(ex.getCause()).isInstanceOf(HandshakeRefusedException.class);
				assertThat(((HandshakeRefusedException) ex.getCause()).status()).isEqualTo(503);
				refused++;
			}
		}
		assertThat(refused + closed).isEqualTo(40);
		assertThat(closed).isPositive();
		assertThat(this.hub.size()).isZero();
		assertThat(this.hub.sessions()).isEmpty();
		await().untilAsserted(() -> assertThat(this.events.disconnects()).extracting(HubEvents.Event::session)
			.containsExactlyInAnyOrderElementsOf(this.events.connects()));
	}

	private TuttiTestClientBuilder client() {
		return TuttiTestClient.builder(URI.create("ws://localhost:" + this.port + "/ws"))
			.queryParameter("client", UUID.randomUUID().toString());
	}

}
