package dev.tutti.sample.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's actuator over HTTP: health and the tutti endpoint, read-only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleChatActuatorIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void exposesHealth() throws Exception {
		HttpResponse<String> response = send(request("/actuator/health").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).path("status").asString()).isEqualTo("UP");
	}

	@Test
	void exposesTheTuttiEndpoint() throws Exception {
		HttpResponse<String> response = send(request("/actuator/tutti").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).path("hubs").path("tutti").path("state").asString()).isEqualTo("open");
	}

	@Test
	void keepsTheTuttiEndpointReadOnly() throws Exception {
		HttpResponse<String> response = send(request("/actuator/tutti/tutti").header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"text\":\"hello\"}")));
		assertThat(response.statusCode()).isEqualTo(405);
	}

	@Test
	void exposesNothingElse() throws Exception {
		assertThat(send(request("/actuator/env").GET()).statusCode()).isEqualTo(404);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JsonMapper.builder().build().readTree(response.body());
	}

}
