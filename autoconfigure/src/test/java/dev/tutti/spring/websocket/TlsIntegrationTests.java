package dev.tutti.spring.websocket;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for WebSocket connections over TLS ({@code wss:}), where the
 * connector decrypts what Tutti reads and encrypts what it writes: messages larger than a
 * TLS record arrive whole, both ways, and the close handshake completes.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.bundle=tutti-test",
				"spring.ssl.bundle.pem.tutti-test.keystore.certificate=classpath:tls/cert.pem",
				"spring.ssl.bundle.pem.tutti-test.keystore.private-key=classpath:tls/key.pem" })
class TlsIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void messagesLargerThanATlsRecordGoBothWaysAndTheCloseHandshakeCompletes() throws Exception {
		HttpClient client = HttpClient.newBuilder().sslContext(trustingTheTestCertificate()).build();
		Listener listener = new Listener();
		WebSocket webSocket = client.newWebSocketBuilder()
			.buildAsync(URI.create("wss://localhost:" + this.port + "/shout"), listener)
			.get(10, TimeUnit.SECONDS);
		String large = "tutti ".repeat(10_000);
		webSocket.sendText(large, true).get(10, TimeUnit.SECONDS);
		assertThat(listener.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(large.toUpperCase());
		webSocket.sendText("hi", true).get(10, TimeUnit.SECONDS);
		assertThat(listener.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("HI");
		webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
		assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
	}

	private static SSLContext trustingTheTestCertificate() throws Exception {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		try (InputStream certificate = TlsIntegrationTests.class.getResourceAsStream("/tls/cert.pem")) {
			trusted.setCertificateEntry("test",
					CertificateFactory.getInstance("X.509").generateCertificate(certificate));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	/**
	 * Collects whole text messages.
	 */
	private static final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

		final CompletableFuture<Integer> closed = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				this.messages.add(this.text.toString());
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

	}

}
