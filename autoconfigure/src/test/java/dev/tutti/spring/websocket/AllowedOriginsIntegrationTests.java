package dev.tutti.spring.websocket;

import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code tutti.allowed-origins} and {@code tutti.allowed-origin-patterns} widen the
 * same-origin default.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"tutti.allowed-origins=http://evil.example", "tutti.allowed-origin-patterns=https://*.trusted.example" })
class AllowedOriginsIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void acceptsAnAllowedOrigin() throws Exception {
		assertAccepted("http://evil.example");
	}

	@Test
	void acceptsAnOriginMatchingAnAllowedPattern() throws Exception {
		assertAccepted("https://chat.trusted.example");
	}

	@Test
	void refusesOtherOrigins() {
		CompletableFuture<TestClient> attempt = TestClient.connectAsync(this.port, "/ws",
				Map.of("Origin", "http://other.example"));
		Throwable cause = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> attempt.get(10, TimeUnit.SECONDS))
			.actual()
			.getCause();
		assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
		assertThat(((WebSocketHandshakeException) cause).getResponse().statusCode()).isEqualTo(403);
	}

	@Test
	void stillAcceptsTheSameOrigin() throws Exception {
		assertAccepted("http://localhost:" + this.port);
	}

	private void assertAccepted(String origin) throws Exception {
		TestClient client = TestClient.connectAsync(this.port, "/ws", Map.of("Origin", origin))
			.get(10, TimeUnit.SECONDS);
		try {
			client.send("hello");
			assertThat(client.receive()).isEqualTo("hello");
		}
		finally {
			client.closeQuietly();
		}
	}

}
