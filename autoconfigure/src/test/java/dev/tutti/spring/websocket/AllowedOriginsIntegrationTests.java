package dev.tutti.spring.websocket;

import java.net.URI;

import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.TuttiTestClient;
import dev.tutti.test.TuttiTestClientBuilder;
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
	void acceptsAnAllowedOrigin() {
		assertAccepted("http://evil.example");
	}

	@Test
	void acceptsAnOriginMatchingAnAllowedPattern() {
		assertAccepted("https://chat.trusted.example");
	}

	@Test
	void refusesOtherOrigins() {
		assertThatExceptionOfType(HandshakeRefusedException.class)
			.isThrownBy(() -> client("http://other.example").connect())
			.extracting(HandshakeRefusedException::status)
			.isEqualTo(403);
	}

	@Test
	void stillAcceptsTheSameOrigin() {
		assertAccepted("http://localhost:" + this.port);
	}

	private void assertAccepted(String origin) {
		try (TuttiTestClient client = client(origin).connect()) {
			client.sendText("hello");
			assertThat(client.awaitText()).isEqualTo("hello");
		}
	}

	private TuttiTestClientBuilder client(String origin) {
		return TuttiTestClient.builder(URI.create("ws://localhost:" + this.port + "/ws")).header("Origin", origin);
	}

}
