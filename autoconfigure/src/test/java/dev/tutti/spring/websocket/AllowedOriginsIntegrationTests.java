package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import dev.tutti.test.HandshakeRefusedException;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import dev.tutti.test.TuttiTestClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code tutti.allowed-origins} and {@code tutti.allowed-origin-patterns} widen the
 * same-origin default; a request without an {@code Origin} header, which no browser
 * sends, is allowed; a refused origin is counted.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"tutti.allowed-origins=http://evil.example", "tutti.allowed-origin-patterns=https://*.trusted.example" })
class AllowedOriginsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

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
	void refusesWithAPlainTextReasonAndCountsTheRefusal() throws IOException {
		double refusals = this.meters.get("tutti.handshakes")
			.tag("hub", "tutti")
			.tag("outcome", "origin-refused")
			.counter()
			.count();
		try (RawWebSocketClient refused = RawWebSocketClient.connect(this.port, "/ws",
				Map.of("Origin", "http://other.example"), 0)) {
			assertThat(refused.status()).isEqualTo(403);
			assertThat(refused.responseHeaders().get("content-type")).startsWith("text/plain");
			assertThat(refused.readResponseBody()).isEqualTo("Origin 'http://other.example' is not allowed");
		}
		assertThat(this.meters.get("tutti.handshakes")
			.tag("hub", "tutti")
			.tag("outcome", "origin-refused")
			.counter()
			.count()).isEqualTo(refusals + 1);
	}

	@Test
	void refusesAnOriginThatIsNoUrlWith403() throws IOException {
		for (String origin : new String[] { "http://:" + this.port, "http://localhost:", "null" }) {
			try (RawWebSocketClient refused = RawWebSocketClient.connect(this.port, "/ws", Map.of("Origin", origin),
					0)) {
				assertThat(refused.status()).as(origin).isEqualTo(403);
			}
		}
	}

	@Test
	void acceptsAHandshakeWithoutAnOrigin() throws IOException {
		// The JDK's client sends no Origin header, as command-line tools and servers
		try (TuttiTestClient client = TuttiTestClient.connect(URI.create("ws://localhost:" + this.port + "/ws"))) {
			client.sendText("hello");
			assertThat(client.awaitText()).isEqualTo("hello");
		}
		try (RawWebSocketClient raw = RawWebSocketClient.connect(this.port, "/ws", Map.of(), 0)) {
			assertThat(raw.status()).isEqualTo(101);
		}
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
