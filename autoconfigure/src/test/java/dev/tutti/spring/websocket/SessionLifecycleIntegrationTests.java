package dev.tutti.spring.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.tutti.CloseStatus;
import dev.tutti.ConnectionLostException;
import dev.tutti.Session;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connect and disconnect through a real Tomcat: close handshakes from either side,
 * dropped TCP connections, and the registry under concurrent connects and disconnects.
 */
class SessionLifecycleIntegrationTests extends AbstractIntegrationTests {

	@Test
	void closeFromTheClientReachesTheCloseAndDisconnectHandlers() {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		client.close(4000, "bye");
		assertThat(client.awaitClose().code()).isEqualTo(4000);
		await().untilAsserted(
				() -> assertThat(this.events.disconnectsOf(session)).containsExactly(new CloseStatus(4000, "bye")));
		assertThat(this.events.closesOf(session)).containsExactly(new CloseStatus(4000, "bye"));
		assertThat(this.events.errorsOf(session)).isEmpty();
		assertThat(session.isClosed()).isTrue();
		assertThat(this.hub.sessions()).doesNotContain(session);
	}

	@Test
	void normalClosesAreNotErrors() {
		TuttiTestClient closedByClient = connect();
		TuttiTestClient closedByServer = connect();
		Session clientSide = this.events.session(closedByClient);
		Session serverSide = this.events.session(closedByServer);
		closedByClient.close(1000, "");
		serverSide.close();
		assertThat(closedByClient.awaitClose()).isEqualTo(CloseStatus.NORMAL);
		assertThat(closedByServer.awaitClose()).isEqualTo(CloseStatus.NORMAL);
		await().untilAsserted(() -> {
			assertThat(this.events.disconnectsOf(clientSide)).containsExactly(CloseStatus.NORMAL);
			assertThat(this.events.disconnectsOf(serverSide)).containsExactly(CloseStatus.NORMAL);
		});
		assertThat(this.events.closesOf(clientSide)).containsExactly(CloseStatus.NORMAL);
		await().until(() -> this.hub.size() == 0);
		assertThat(this.events.errorsOf(clientSide)).isEmpty();
		assertThat(this.events.errorsOf(serverSide)).isEmpty();
	}

	@Test
	void closeFromTheServerSendsTheStatus() {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		session.close(new CloseStatus(4001, "kicked"));
		assertThat(client.awaitClose()).isEqualTo(new CloseStatus(4001, "kicked"));
		assertThat(this.events.disconnectsOf(session)).containsExactly(new CloseStatus(4001, "kicked"));
	}

	@Test
	void closeReasonLongerThanAFrameAllowsIsTruncated() {
		TuttiTestClient client = connect();
		Session session = this.events.session(client);
		session.close(new CloseStatus(4002, "\u00e9".repeat(100)));
		CloseStatus received = client.awaitClose();
		assertThat(received.code()).isEqualTo(4002);
		assertThat(received.reason().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
		assertThat(received.reason()).startsWith("\u00e9\u00e9\u00e9");
	}

	@Test
	void resetConnectionReportsAnErrorAndDisconnectsWith1006() throws Exception {
		RawWebSocketClient client = connectRaw("/ws?client=reset", Map.of(), 0);
		Session session = this.events.session("reset");
		client.abort();
		await().untilAsserted(() -> assertThat(this.events.disconnectsOf(session)).singleElement()
			.extracting(CloseStatus::code)
			.isEqualTo(1006));
		assertThat(this.events.errorsOf(session)).singleElement().isInstanceOf(ConnectionLostException.class);
		assertThat(this.events.closesOf(session)).isEmpty();
	}

	@Test
	void connectionClosedWithoutCloseFrameReportsAnErrorAndDisconnectsWith1006() throws Exception {
		RawWebSocketClient client = connectRaw("/ws?client=eof", Map.of(), 0);
		Session session = this.events.session("eof");
		client.close();
		await().untilAsserted(() -> assertThat(this.events.disconnectsOf(session)).singleElement()
			.extracting(CloseStatus::code)
			.isEqualTo(1006));
		assertThat(this.events.errorsOf(session)).singleElement().isInstanceOf(ConnectionLostException.class);
	}

	@Test
	void registryFollowsConcurrentConnectsAndDisconnects() {
		Random random = new Random();
		List<CompletableFuture<TuttiTestClient>> attempts = new ArrayList<>();
		List<CompletableFuture<TuttiTestClient>> kept = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			CompletableFuture<TuttiTestClient> attempt = connectAsync("/ws", Map.of());
			if (random.nextBoolean()) {
				// close() waits for the server's answer: not on the HTTP client's threads
				attempt = attempt.thenApplyAsync((client) -> {
					client.close();
					return client;
				});
			}
			else {
				kept.add(attempt);
			}
			attempts.add(attempt);
		}
		CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
		Set<String> keptIds = kept.stream()
			.map((attempt) -> HubEvents.clientId(attempt.join()))
			.collect(Collectors.toSet());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.hub.sessions()).extracting(this::clientId)
				.containsExactlyInAnyOrderElementsOf(keptIds));
		assertThat(this.hub.size()).isEqualTo(keptIds.size());
		Set<String> allIds = attempts.stream()
			.map((attempt) -> HubEvents.clientId(attempt.join()))
			.collect(Collectors.toSet());
		await().untilAsserted(() -> assertThat(this.events.connects()).extracting(this::clientId)
			.containsExactlyInAnyOrderElementsOf(allIds));
		await().untilAsserted(() -> assertThat(disconnectedClients(allIds))
			.containsExactlyInAnyOrderElementsOf(allIds.stream().filter((id) -> !keptIds.contains(id)).toList()));
		attempts.forEach((attempt) -> attempt.join().close());
		await().until(() -> this.hub.size() == 0);
		await().untilAsserted(() -> assertThat(disconnectedClients(allIds)).hasSize(20).doesNotHaveDuplicates());
	}

	private List<String> disconnectedClients(Set<String> clientIds) {
		return this.events.disconnects()
			.stream()
			.map((event) -> clientId(event.session()))
			.filter(clientIds::contains)
			.toList();
	}

	private String clientId(Session session) {
		return session.queryParameters().getOrDefault("client", List.of("")).get(0);
	}

}
