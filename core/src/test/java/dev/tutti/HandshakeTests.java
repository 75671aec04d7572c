package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
		HandshakeResult result = this.hub.handshake(request("ws://localhost/ws"));
		assertThat(result).isEqualTo(HandshakeResult.accept());
		assertThat(result.accepted()).isTrue();
		assertThat(result.status()).isEqualTo(101);
	}

	@Test
	void handlerRejects() {
		this.hub.onHandshake((request) -> (request.queryParameters().containsKey("token")) ? HandshakeResult.accept()
				: HandshakeResult.reject(401, "No token"));
		assertThat(this.hub.handshake(request("ws://localhost/ws?token=t")).accepted()).isTrue();
		assertThat(this.hub.handshake(request("ws://localhost/ws")))
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
		assertThat(this.hub.handshake(request).accepted()).isTrue();
		assertThat(request.attributes()).containsEntry("user", "alice").containsEntry("room", "lobby");
		TestConnection connection = new TestConnection();
		connection.handshakeAttributesToSeed().putAll(request.attributes());
		connection.open(this.hub);
		assertThat(connection.session().get("user")).isEqualTo("alice");
		assertThat(connection.session().get("room")).isEqualTo("lobby");
	}

	@Test
	void handlerThatThrowsRejectsWith500() {
		this.hub.onHandshake((request) -> {
			throw new IllegalStateException("boom");
		});
		HandshakeResult result = this.hub.handshake(request("ws://localhost/ws"));
		assertThat(result.accepted()).isFalse();
		assertThat(result.status()).isEqualTo(500);
	}

	@Test
	void handlerThatReturnsNullRejectsWith500() {
		this.hub.onHandshake((request) -> null);
		assertThat(this.hub.handshake(request("ws://localhost/ws")).status()).isEqualTo(500);
	}

	@Test
	void closedHubRejectsWith503() {
		this.hub.onHandshake((request) -> {
			throw new IllegalStateException("not called");
		});
		this.hub.close();
		HandshakeResult result = this.hub.handshake(request("ws://localhost/ws"));
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

	private static HandshakeRequest request(String uri) {
		return new HandshakeRequest(URI.create(uri), Map.of("Origin", List.of("http://localhost")), null, null);
	}

}
