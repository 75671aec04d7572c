package dev.tutti.spring.websocket;

import dev.tutti.Hub;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's own {@link dev.tutti.spring.autoconfigure.HubEndpoint} serves its hub
 * next to the auto-configured one.
 */
class MultipleEndpointsIntegrationTests extends AbstractIntegrationTests {

	@Autowired
	@Qualifier("shoutHub")
	Hub shoutHub;

	@Test
	void eachEndpointServesItsOwnHub() throws Exception {
		TestClient shouter = connect("/shout");
		TestClient echoer = connect("/ws");
		shouter.send("hello");
		echoer.send("hello");
		assertThat(shouter.receive()).isEqualTo("HELLO");
		assertThat(echoer.receive()).isEqualTo("hello");
		assertThat(this.shoutHub.size()).isOne();
		assertThat(this.hub.sessions()).containsExactly(this.events.session(echoer.id()));
		shouter.close(1000, "");
		await().until(() -> this.shoutHub.size() == 0);
	}

}
