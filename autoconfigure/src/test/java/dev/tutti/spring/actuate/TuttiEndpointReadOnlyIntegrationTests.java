package dev.tutti.spring.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code tutti} endpoint over HTTP with its default, read-only, access: the write
 * operations are not mapped.
 */
@TestPropertySource(properties = "management.endpoint.tutti.access=read-only")
class TuttiEndpointReadOnlyIntegrationTests extends AbstractActuatorIntegrationTests {

	@Test
	void readOperationsAnswer() {
		Client alice = connect();
		assertThat(get("/actuator/tutti").status()).isEqualTo(200);
		assertThat(get("/actuator/tutti/tutti/sessions/" + alice.id()).status()).isEqualTo(200);
	}

	@Test
	void writeOperationsAreNotMapped() {
		Client alice = connect("lobby");
		assertThat(post("/actuator/tutti/tutti", "{\"text\":\"hello\"}").status()).isEqualTo(405);
		assertThat(post("/actuator/tutti/tutti/rooms/lobby", "{\"text\":\"hello\"}").status()).isEqualTo(405);
		assertThat(delete("/actuator/tutti/tutti/sessions/" + alice.id()).status()).isEqualTo(405);
		this.hub.broadcast("fence");
		assertThat(alice.client().awaitText()).isEqualTo("fence");
		assertThat(this.hub.size()).isOne();
	}

}
