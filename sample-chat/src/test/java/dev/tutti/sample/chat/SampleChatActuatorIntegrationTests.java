package dev.tutti.sample.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's actuator over HTTP: health, metrics and the Prometheus scrape are public;
 * the tutti endpoint, its write operations above all, needs the admin login.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleChatActuatorIntegrationTests {

	private static final String ADMIN = "admin:test-admin-password";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void exposesHealthMetricsAndPrometheusToEveryone() throws Exception {
		HttpResponse<String> health = send(request("/actuator/health").GET());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(json(health).path("status").asString()).isEqualTo("UP");
		assertThat(send(request("/actuator/metrics/tutti.sessions.active").GET()).statusCode()).isEqualTo(200);
		assertThat(send(request("/actuator/prometheus").GET()).statusCode()).isEqualTo(200);
	}

	@Test
	void readingTheTuttiEndpointNeedsTheLogin() throws Exception {
		assertThat(send(request("/actuator/tutti").GET()).statusCode()).isEqualTo(401);
		assertThat(send(login(request("/actuator/tutti"), "admin:wrong").GET()).statusCode()).isEqualTo(401);
		HttpResponse<String> response = send(login(request("/actuator/tutti"), ADMIN).GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).path("hubs").path("tutti").path("state").asString()).isEqualTo("open");
	}

	@Test
	void broadcastingNeedsTheLogin() throws Exception {
		try (TuttiTestClient client = TuttiTestClient.connect(URI.create("ws://localhost:" + this.port + "/ws"))) {
			HttpResponse<String> anonymous = send(broadcast("{\"text\":\"from nobody\"}"));
			assertThat(anonymous.statusCode()).isEqualTo(401);

			HttpResponse<String> admin = send(login(broadcast("{\"text\":\"maintenance at noon\"}"), ADMIN));
			assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
			assertThat(client.awaitText()).isEqualTo("maintenance at noon");
		}
	}

	@Test
	void closingASessionNeedsTheLogin() throws Exception {
		String path = "/actuator/tutti/tutti/sessions/no-such-session?code=4000&reason=bye";
		assertThat(send(request(path).DELETE()).statusCode()).isEqualTo(401);
		assertThat(send(login(request(path), ADMIN).DELETE()).statusCode()).isEqualTo(404);
	}

	@Test
	void exposesNothingElse() throws Exception {
		assertThat(send(login(request("/actuator/env"), ADMIN).GET()).statusCode()).isEqualTo(404);
	}

	private HttpRequest.Builder broadcast(String body) {
		return request("/actuator/tutti/tutti").header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private static HttpRequest.Builder login(HttpRequest.Builder request, String credentials) {
		return request.header("Authorization",
				"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

}
