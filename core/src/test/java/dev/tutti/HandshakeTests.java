package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.transport.Upgrade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Hub#handshake(HandshakeRequest)} and {@link HandshakeResult}.
 */
class HandshakeTests {

	private final Hub hub = Hub.create();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void acceptsByDefault() {
		HandshakeResult result = this.hub.handshake(request("ws://localhost/ws")).result();
		assertThat(result).isEqualTo(HandshakeResult.accept());
		assertThat(result.accepted()).isTrue();
		assertThat(result.status()).isEqualTo(101);
	}

	@Test
	void handlerRejects() {
		this.hub.onHandshake((request) -> (request.queryParameters().containsKey("token")) ? HandshakeResult.accept()
				: HandshakeResult.reject(401, "No token"));
		assertThat(this.hub.handshake(request("ws://localhost/ws?token=t")).result().accepted()).isTrue();
		assertThat(this.hub.handshake(request("ws://localhost/ws")).result())
			.isEqualTo(new HandshakeResult(false, 401, "No token"));
	}

	@Test
	void handlerSeedsSessionAttributes() {
		Principal alice = () -> "alice";
		this.hub.onHandshake((request) -> {
			request.attributes().put("user", request.principal().getName());
			request.attributes().put("room", request.queryParameters().get("room").get(0));
			return HandshakeResult.accept();
		});
		HandshakeRequest request = new HandshakeRequest(URI.create("ws://localhost/ws?room=lobby"), Map.of(), alice,
				new InetSocketAddress("127.0.0.1", 1234));
		Upgrade upgrade = this.hub.handshake(request);
		assertThat(upgrade.result().accepted()).isTrue();
		assertThat(request.attributes()).containsEntry("user", "alice").containsEntry("room", "lobby");
		TestConnection connection = new TestConnection();
		connection.open(upgrade);
		assertThat(connection.session().principal()).isSameAs(alice);
		assertThat(connection.session().remoteAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 1234));
		assertThat(connection.session().get("user")).isEqualTo("alice");
		assertThat(connection.session().get("room")).isEqualTo("lobby");
	}

	@Test
	void handlerThatThrowsRejectsWith500() {
		this.hub.onHandshake((request) -> {
			throw new IllegalStateException("boom");
		});
		HandshakeResult result = this.hub.handshake(request("ws://localhost/ws")).result();
		assertThat(result.accepted()).isFalse();
		assertThat(result.status()).isEqualTo(500);
	}

	@Test
	void handlerThatReturnsNullRejectsWith500() {
		this.hub.onHandshake((request) -> null);
		assertThat(this.hub.handshake(request("ws://localhost/ws")).result().status()).isEqualTo(500);
	}

	@Test
	void closedHubRejectsWith503() {
		this.hub.onHandshake((request) -> {
			throw new IllegalStateException("not called");
		});
		this.hub.close();
		HandshakeResult result = this.hub.handshake(request("ws://localhost/ws")).result();
		assertThat(result.accepted()).isFalse();
		assertThat(result.status()).isEqualTo(503);
		assertThat(result.reason()).contains("tutti");
	}

	@Test
	void rejectionStatusMustBeClientOrServerError() {
		assertThat(HandshakeResult.reject(400, "").status()).isEqualTo(400);
		assertThat(HandshakeResult.reject(599, "").status()).isEqualTo(599);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> HandshakeResult.reject(399, ""))
			.withMessageContaining("399");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> HandshakeResult.reject(600, ""));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> HandshakeResult.reject(101, ""));
	}

	@Test
	void handlersRunInOrderUntilOneRefuses() {
		List<String> calls = new CopyOnWriteArrayList<>();
		this.hub.onHandshake((request) -> {
			calls.add("first");
			return HandshakeResult.accept();
		});
		this.hub.onHandshake((request) -> {
			calls.add("second");
			return HandshakeResult.reject(403, "No");
		});
		this.hub.onHandshake((request) -> {
			calls.add("third");
			return HandshakeResult.accept();
		});
		assertThat(this.hub.handshake(request("ws://localhost/ws")).result())
			.isEqualTo(new HandshakeResult(false, 403, "No"));
		assertThat(calls).containsExactly("first", "second");
		assertThat(this.hub.size()).isZero();
	}

	@Test
	void acceptedHandshakeRegistersTheSessionBeforeItsConnectionOpens() {
		List<Session> connected = new CopyOnWriteArrayList<>();
		this.hub.onConnect(connected::add);
		Upgrade upgrade = this.hub.handshake(request("ws://localhost/ws"));
		assertThat(this.hub.size()).isOne();
		assertThat(connected).isEmpty();

		assertThat(this.hub.broadcast("sent before the connection opened").recipients()).isOne();
		TestConnection connection = new TestConnection();
		connection.open(upgrade);
		connection.session().write("after");

		assertThat(connected).containsExactly(connection.session());
		assertThat(connection.texts()).containsExactly("sent before the connection opened", "after");
	}

	@Test
	void refusedUpgradeCannotBeOpened() {
		this.hub.onHandshake((request) -> HandshakeResult.reject(401, "Login first"));
		Upgrade upgrade = this.hub.handshake(request("ws://localhost/ws"));
		assertThatIllegalStateException().isThrownBy(() -> upgrade.open(new TestConnection()))
			.withMessageContaining("401");
	}

	@Test
	void upgradeOpensOnce() {
		Upgrade upgrade = this.hub.handshake(request("ws://localhost/ws"));
		new TestConnection().open(upgrade);
		assertThatIllegalStateException().isThrownBy(() -> upgrade.open(new TestConnection()))
			.withMessageContaining("already opened");
	}

	@Test
	void abandonedUpgradeLeavesTheHubWithoutConnectOrDisconnect() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.hub.onConnect((session) -> events.add("connect"));
		this.hub.onDisconnect((session, status) -> events.add("disconnect"));
		Upgrade upgrade = this.hub.handshake(request("ws://localhost/ws"));
		Session session = this.hub.sessions().get(0);
		session.join("lobby");

		upgrade.abandon();

		assertThat(this.hub.size()).isZero();
		assertThat(this.hub.rooms()).isEmpty();
		assertThat(session.isClosed()).isTrue();
		assertThat(events).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> upgrade.open(new TestConnection()));
	}

	@Test
	void upgradeThatNeverOpensIsDroppedAfterThePongTimeoutNotTheWriteTimeout() {
		Hub hub = Hub.create(HubConfig.builder()
			.writeTimeout(Duration.ofMillis(50))
			.pongTimeout(Duration.ofMillis(800))
			.pingPeriod(Duration.ofMillis(100))
			.build());
		try {
			long start = System.nanoTime();
			hub.handshake(request("ws://localhost/ws"));
			assertThat(hub.size()).isOne();
			await().atMost(Duration.ofSeconds(5)).until(() -> hub.size() == 0);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
		}
		finally {
			hub.close();
		}
	}

	@Test
	void sessionClosedBeforeItsConnectionOpensWritesItsQueueThenCloses() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		this.hub.onConnect((session) -> events.add("connect"));
		this.hub.onDisconnect((session, status) -> events.add("disconnect"));
		Upgrade upgrade = this.hub.handshake(request("ws://localhost/ws"));
		this.hub.broadcast("last words");
		this.hub.close();
		assertThat(this.hub.awaitTermination(Duration.ofMillis(50))).isFalse();

		TestConnection connection = new TestConnection();
		connection.open(upgrade);

		await().until(() -> connection.events().size() == 2);
		assertThat(connection.events()).containsExactly("text:last words", "close:1001");
		assertThat(this.hub.awaitTermination(Duration.ofSeconds(5))).isTrue();
		assertThat(events).isEmpty();
	}

	@Test
	void headersIgnoreTheCaseOfNames() {
		HandshakeRequest request = new HandshakeRequest(URI.create("ws://localhost/ws"),
				Map.of("Sec-WebSocket-Protocol", List.of("chat"), "Accept-Language", List.of("de", "en")), null, null);
		assertThat(request.header("ACCEPT-language")).isEqualTo("de");
		assertThat(request.headers().get("accept-language")).containsExactly("de", "en");
		assertThat(request.header("sec-websocket-protocol")).isEqualTo("chat");
		assertThat(request.headers().get("SEC-WEBSOCKET-PROTOCOL")).containsExactly("chat");
		assertThat(request.header("Origin")).isNull();
	}

	@Test
	void queryParameterReturnsTheFirstDecodedValue() {
		HandshakeRequest request = request("ws://localhost/ws?room=l%C3%B6bby&room=kitchen&flag");
		assertThat(request.queryParameter("room")).isEqualTo("löbby");
		assertThat(request.queryParameter("flag")).isEmpty();
		assertThat(request.queryParameter("missing")).isNull();
	}

	private static HandshakeRequest request(String uri) {
		return new HandshakeRequest(URI.create(uri), Map.of("Origin", List.of("http://localhost")), null, null);
	}

}
