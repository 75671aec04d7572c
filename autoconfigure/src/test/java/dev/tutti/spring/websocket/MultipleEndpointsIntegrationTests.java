package dev.tutti.spring.websocket;

import dev.tutti.Hub;
import dev.tutti.test.TuttiTestClient;
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
	void eachEndpointServesItsOwnHub() {
		TuttiTestClient shouter = connect("/shout");
		TuttiTestClient echoer = connect("/ws");
		shouter.sendText("hello");
		echoer.sendText("hello");
		assertThat(shouter.awaitText()).isEqualTo("HELLO");
		assertThat(echoer.awaitText()).isEqualTo("hello");
		assertThat(this.shoutHub.size()).isOne();
		assertThat(this.hub.sessions()).containsExactly(this.events.session(echoer));
		shouter.close(1000, "");
		await().until(() -> this.shoutHub.size() == 0);
	}

}
