package dev.tutti.spring.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.Hub;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.test.RawWebSocketClient;
import dev.tutti.test.TuttiTestClient;
import dev.tutti.test.TuttiTestClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.awaitility.Awaitility.await;

/**
 * Base of the integration tests that share one embedded Tomcat with the auto-configured
 * hub at {@code /ws}: short heartbeat, write and message assembly timeouts, messages up
 * to 256 KB. Every test starts with fresh {@link HubEvents} and ends with every client
 * closed and the hub empty. Each client carries a unique {@code client} query parameter,
 * so that {@link HubEvents#session(TuttiTestClient)} finds its session.
 */
@SpringBootTest(classes = IntegrationTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "tutti.max-message-size=256KB", "tutti.ping-period=200ms", "tutti.pong-timeout=1s",
				"tutti.write-timeout=500ms", "tutti.message-assembly-timeout=2s" })
abstract class AbstractIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME)
	Hub hub;

	@Autowired
	HubEvents events;

	private final List<TuttiTestClient> clients = new CopyOnWriteArrayList<>();

	private final List<RawWebSocketClient> rawClients = new CopyOnWriteArrayList<>();

	@BeforeEach
	void resetEvents() {
		this.events.reset();
	}

	@AfterEach
	void closeClients() throws IOException {
		this.clients.forEach(TuttiTestClient::close);
		for (RawWebSocketClient client : this.rawClients) {
			client.abort();
		}
		await().pollInterval(Duration.ofMillis(10)).until(() -> this.hub.size() == 0);
	}

	TuttiTestClient connect() {
		return connect("/ws");
	}

	TuttiTestClient connect(String path) {
		return track(builder(path, Map.of()).connect());
	}

	CompletableFuture<TuttiTestClient> connectAsync(String path, Map<String, String> headers) {
		return builder(path, headers).connectAsync().thenApply(this::track);
	}

	RawWebSocketClient connectRaw(String target, Map<String, String> headers, int receiveBufferSize)
			throws IOException {
		RawWebSocketClient client = RawWebSocketClient.connect(this.port, target, headers, receiveBufferSize);
		this.rawClients.add(client);
		return client;
	}

	private TuttiTestClientBuilder builder(String path, Map<String, String> headers) {
		TuttiTestClientBuilder builder = TuttiTestClient.builder(URI.create("ws://localhost:" + this.port + path))
			.queryParameter("client", UUID.randomUUID().toString());
		headers.forEach(builder::header);
		return builder;
	}

	private TuttiTestClient track(TuttiTestClient client) {
		this.clients.add(client);
		return client;
	}

	/**
	 * Send a request and read the response's lines until the connection closes or an
	 * empty line follows the body.
	 */
	List<String> exchange(String request) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			List<String> lines = new ArrayList<>();
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				lines.add(line);
			}
			return lines;
		}
	}

}
