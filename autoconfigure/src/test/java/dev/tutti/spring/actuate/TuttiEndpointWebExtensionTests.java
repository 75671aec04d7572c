package dev.tutti.spring.actuate;

import java.util.Map;

import dev.tutti.CloseStatus;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.spring.actuate.TestSessions.Opened;
import dev.tutti.spring.actuate.TuttiEndpoint.BroadcastDescriptor;
import dev.tutti.spring.actuate.TuttiEndpoint.SessionDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TuttiEndpointWebExtension}.
 */
class TuttiEndpointWebExtensionTests {

	private final Hub hub = Hub.create(HubConfig.builder().name("chat").build());

	private final TuttiEndpointWebExtension extension = new TuttiEndpointWebExtension(
			new TuttiEndpoint(Map.of("chatHub", this.hub), 10));

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void broadcastAnswersWithWhatItDid() {
		Opened opened = TestSessions.open(this.hub);
		WebEndpointResponse<BroadcastDescriptor> response = this.extension.broadcast("chat", "hello");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		assertThat(response.getBody()).isEqualTo(new BroadcastDescriptor(1, 0));
		await().until(() -> opened.connection().texts.contains("hello"));
	}

	@Test
	void broadcastToRoomAnswersWithWhatItDid() {
		TestSessions.open(this.hub).session().join("lobby");
		WebEndpointResponse<BroadcastDescriptor> response = this.extension.broadcastToRoom("chat", "rooms", "lobby",
				"hello");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		assertThat(response.getBody()).isEqualTo(new BroadcastDescriptor(1, 0));
	}

	@Test
	void broadcastAnswersNotFoundForAnUnknownHubOrSegment() {
		assertThat(this.extension.broadcast("nope", "hello").getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		assertThat(this.extension.broadcastToRoom("nope", "rooms", "lobby", "hello").getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		assertThat(this.extension.broadcastToRoom("chat", "sessions", "lobby", "hello").getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	@Test
	void broadcastAnswersServiceUnavailableForAClosedHub() {
		this.hub.close();
		WebEndpointResponse<BroadcastDescriptor> response = this.extension.broadcast("chat", "hello");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		assertThat(response.getBody()).isNull();
		assertThat(this.extension.broadcastToRoom("chat", "rooms", "lobby", "hello").getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
	}

	@Test
	void closeSessionAnswersWithTheClosedSession() {
		Opened opened = TestSessions.open(this.hub);
		WebEndpointResponse<SessionDescriptor> response = this.extension.closeSession("chat", "sessions", opened.id(),
				4000, "kicked");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		assertThat(response.getBody().id()).isEqualTo(opened.id());
		await().until(() -> opened.connection().closes.contains(new CloseStatus(4000, "kicked")));
	}

	@Test
	void closeSessionAnswersNotFoundForAnUnknownSession() {
		assertThat(this.extension.closeSession("chat", "sessions", "nope", null, null).getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		assertThat(this.extension.closeSession("nope", "sessions", "nope", null, null).getStatus())
			.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	@Test
	void closeSessionLeavesAnInvalidCodeToTheActuatorAsABadRequest() {
		Opened opened = TestSessions.open(this.hub);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.extension.closeSession("chat", "sessions", opened.id(), 999, null));
	}

}
