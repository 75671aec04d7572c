package dev.tutti.sample.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tutti.Codec;
import dev.tutti.test.TuttiTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's meters over HTTP, with real WebSocket clients: Actuator's metrics
 * endpoint, the Prometheus scrape, and every metric the Grafana dashboard queries.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleChatMetricsIntegrationTests {

	private static final Path DASHBOARD = Path.of("..", "observability", "tutti-dashboard.json");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private Codec codec;

	@Test
	void publishesTheHubsMetersWhileClientsChat() throws Exception {
		try (TuttiTestClient alice = connect(); TuttiTestClient bob = connect()) {
			enter(alice, "alice-metrics");
			enter(bob, "bob-metrics");
			alice.sendJson(Map.of("type", "say", "room", "lobby", "text", "hello"));
			assertThat(bob.awaitJson("message", JsonNode.class).path("text").asString()).isEqualTo("hello");
			assertThat(alice.awaitJson("message", JsonNode.class).path("text").asString()).isEqualTo("hello");

			JsonNode active = json(get("/actuator/metrics/tutti.sessions.active"));
			assertThat(active.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(2);
			String scrape = get("/actuator/prometheus").body();
			assertThat(scrape).contains("tutti_sessions_active{", "tutti_messages_received_total{");
			Matcher sent = Pattern.compile("(?m)^tutti_messages_sent_total\\{[^}]*type=\"text\"[^}]*} (\\S+)$")
				.matcher(scrape);
			assertThat(sent.find()).as("tutti_messages_sent_total of text in%n%s", scrape).isTrue();
			assertThat(Double.parseDouble(sent.group(1))).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void publishesEveryMetricTheDashboardQueries() throws Exception {
		try (TuttiTestClient client = connect()) {
			client.sendText("traffic");
			client.awaitText();
			String scrape = get("/actuator/prometheus").body();
			Set<String> queried = queriedMetrics();
			assertThat(queried).hasSizeGreaterThan(10);
			assertThat(queried).allSatisfy((metric) -> assertThat(scrape).as("published metric %s", metric)
				.containsPattern("(?m)^" + Pattern.quote(metric) + "[{ ]"));
		}
	}

	private TuttiTestClient connect() {
		return TuttiTestClient.builder(URI.create("ws://localhost:" + this.port + "/ws")).codec(this.codec).connect();
	}

	private static void enter(TuttiTestClient client, String nickname) {
		client.sendJson(Map.of("type", "hello", "nickname", nickname, "key", UUID.randomUUID().toString()));
		client.awaitJson("welcome", JsonNode.class);
		client.sendJson(Map.of("type", "join", "room", "lobby"));
		client.awaitJson("entered", JsonNode.class);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build();
		return this.http.send(request, BodyHandlers.ofString());
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

	private static Set<String> queriedMetrics() throws IOException {
		Set<String> metrics = new TreeSet<>();
		Matcher matcher = Pattern.compile("tutti_[a-z_]+").matcher(Files.readString(DASHBOARD));
		while (matcher.find()) {
			metrics.add(matcher.group());
		}
		return metrics;
	}

}
