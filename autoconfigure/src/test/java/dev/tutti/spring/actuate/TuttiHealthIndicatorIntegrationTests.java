package dev.tutti.spring.actuate;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code tutti} health indicator over HTTP, with real WebSocket clients.
 */
class TuttiHealthIndicatorIntegrationTests extends AbstractActuatorIntegrationTests {

	@Test
	void upWithTheSessionsOfEveryHub() {
		connect();
		connect();
		Response response = get("/actuator/health");
		assertThat(response.status()).isEqualTo(200);
		JsonNode tutti = response.body().path("components").path("tutti");
		assertThat(tutti.path("status").asString()).isEqualTo("UP");
		assertThat(tutti.path("details").path("hubs").path("tutti").path("state").asString()).isEqualTo("open");
		assertThat(tutti.path("details").path("hubs").path("tutti").path("sessions").asInt()).isEqualTo(2);
		assertThat(tutti.path("details").path("hubs").path("feed").path("sessions").asInt()).isZero();
	}

	@Test
	@DirtiesContext
	void outOfServiceOnceAHubCloses() {
		Client alice = connect();
		this.hub.close();
		alice.client().awaitClose();
		Response response = get("/actuator/health");
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.body().path("status").asString()).isEqualTo("OUT_OF_SERVICE");
		JsonNode tutti = response.body().path("components").path("tutti");
		assertThat(tutti.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
		assertThat(tutti.path("details").path("hubs").path("feed").path("state").asString()).isEqualTo("open");
		await().until(() -> "closed".equals(get("/actuator/health").body()
			.path("components")
			.path("tutti")
			.path("details")
			.path("hubs")
			.path("tutti")
			.path("state")
			.asString()));
		assertThat(post("/actuator/tutti/tutti", "{\"text\":\"hello\"}").status()).isEqualTo(503);
	}

}
