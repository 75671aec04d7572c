package dev.tutti.spring.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.Hub;
import dev.tutti.Session;
import dev.tutti.spring.autoconfigure.TuttiAutoConfiguration;
import dev.tutti.test.TuttiTestClient;
import dev.tutti.test.TuttiTestClientBuilder;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.awaitility.Awaitility.await;

/**
 * Base of the integration tests that drive the actuator over HTTP on an embedded Tomcat
 * serving the {@link ActuatorTestApplication}, with the {@code tutti} endpoint and
 * {@code health} exposed, the endpoint's write operations allowed and health details
 * shown. Every test ends with every client closed.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=tutti,health",
				"management.endpoint.tutti.access=unrestricted", "management.endpoint.health.show-details=always" })
abstract class AbstractActuatorIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier(TuttiAutoConfiguration.HUB_BEAN_NAME)
	Hub hub;

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<TuttiTestClient> clients = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(TuttiTestClient::close);
		await().until(() -> this.hub.size() == 0);
	}

	/**
	 * Connect a client to the auto-configured hub and wait until its session is in the
	 * given rooms.
	 */
	Client connect(String... rooms) {
		String key = UUID.randomUUID().toString();
		TuttiTestClientBuilder builder = TuttiTestClient.builder(URI.create("ws://localhost:" + this.port + "/ws"))
			.queryParameter("client", key);
		for (String room : rooms) {
			builder.queryParameter("room", room);
		}
		TuttiTestClient client = builder.connect();
		this.clients.add(client);
		Session session = await().until(() -> this.hub.sessions()
			.stream()
			.filter((candidate) -> List.of(key).equals(candidate.queryParameters().get("client")))
			.filter((candidate) -> candidate.rooms().equals(Set.of(rooms)))
			.findFirst()
			.orElse(null), (found) -> found != null);
		return new Client(client, session.id());
	}

	Response get(String path) {
		return send(request(path).GET());
	}

	Response post(String path, String body) {
		return send(request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)));
	}

	Response delete(String path) {
		return send(request(path).DELETE());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), BodyHandlers.ofString());
			JsonNode body = response.body().isEmpty() ? json.missingNode() : json.readTree(response.body());
			return new Response(response.statusCode(), body);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A connected client and the id of its session.
	 */
	record Client(TuttiTestClient client, String id) {

	}

	/**
	 * An HTTP response's status and JSON body, missing if the body was empty.
	 */
	record Response(int status, JsonNode body) {

	}

}
