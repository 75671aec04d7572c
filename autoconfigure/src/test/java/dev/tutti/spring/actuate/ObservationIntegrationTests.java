package dev.tutti.spring.actuate;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handshakes and handled messages as Micrometer observations on a real server, seen
 * through the timers that Actuator's meter observation handler makes of them.
 */
@TestPropertySource(properties = "management.endpoints.web.exposure.include=metrics")
class ObservationIntegrationTests extends AbstractActuatorIntegrationTests {

	@Test
	void handshakesAndMessagesAreObserved() {
		Client client = connect();
		client.client().sendText("hello");
		client.client().sendBinary(new byte[] { 1, 2, 3 });
		await().untilAsserted(() -> {
			assertThat(count("tutti.message", "type:text")).isOne();
			assertThat(count("tutti.message", "type:binary")).isOne();
		});
		assertThat(count("tutti.handshake", "outcome:accepted")).isOne();
	}

	private double count(String name, String tag) {
		Response response = get("/actuator/metrics/" + name + "?tag=hub:tutti&tag=" + tag);
		if (response.status() == 404) {
			return 0;
		}
		assertThat(response.status()).isEqualTo(200);
		for (JsonNode measurement : response.body().path("measurements")) {
			if (measurement.path("statistic").asString().equals("COUNT")) {
				return measurement.path("value").asDouble();
			}
		}
		throw new AssertionError("No COUNT in " + response.body());
	}

}
