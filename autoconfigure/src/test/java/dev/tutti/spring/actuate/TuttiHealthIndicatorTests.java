package dev.tutti.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tutti.Backplane;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.Target;
import dev.tutti.spring.actuate.TestSessions.Opened;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TuttiHealthIndicator}, against real hubs.
 */
class TuttiHealthIndicatorTests {

	private final Hub chat = Hub.create(HubConfig.builder().name("chat").build());

	private final Hub feed = Hub.create(HubConfig.builder().name("feed").build());

	private final TuttiHealthIndicator indicator = new TuttiHealthIndicator(
			Map.of("chatHub", this.chat, "feedHub", this.feed));

	@AfterEach
	void closeHubs() {
		this.chat.close();
		this.feed.close();
	}

	@Test
	void upWithTheSessionsOfEveryHub() {
		TestSessions.open(this.chat);
		TestSessions.open(this.chat);
		TestSessions.open(this.feed);
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsOnlyKeys("hubs");
		assertThat(hubs(health)).containsExactly(Map.entry("chat", Map.of("state", "open", "sessions", 2)),
				Map.entry("feed", Map.of("state", "open", "sessions", 1)));
	}

	@Test
	void outOfServiceWhileAHubCloses() {
		Opened opened = TestSessions.open(this.feed, new TestConnection().stall());
		opened.session().write("queued");
		this.feed.close();
		try {
			Health health = this.indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(hubs(health)).containsEntry("chat", Map.of("state", "open", "sessions", 0))
				.containsEntry("feed", Map.of("state", "closing", "sessions", 0));
		}
		finally {
			opened.connection().release();
		}
	}

	@Test
	void outOfServiceOnceAHubIsClosed() {
		this.chat.close();
		await().until(() -> hubs(this.indicator.health()).get("chat").equals(Map.of("state", "closed", "sessions", 0)));
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void downWhileAnOpenHubsBackplaneIsDisconnected() {
		SwitchedBackplane backplane = new SwitchedBackplane();
		this.chat.backplane(backplane);
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(hubs(health).get("chat")).isEqualTo(
				Map.of("state", "open", "sessions", 0, "backplane", Map.of("node", "node-1", "connected", true)));
		backplane.connected = false;
		health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(hubs(health).get("chat")).isEqualTo(
				Map.of("state", "open", "sessions", 0, "backplane", Map.of("node", "node-1", "connected", false)));
		backplane.connected = true;
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void upWithoutHubs() {
		Health health = new TuttiHealthIndicator(Map.of()).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(hubs(health)).isEmpty();
	}

	@Test
	void hubsThatShareANameAreReportedByBeanName() {
		Hub other = Hub.create(HubConfig.builder().name("chat").build());
		try {
			Map<String, Hub> hubs = new LinkedHashMap<>();
			hubs.put("chatHub", this.chat);
			hubs.put("otherChatHub", other);
			assertThat(hubs(new TuttiHealthIndicator(hubs).health())).containsOnlyKeys("chatHub", "otherChatHub");
		}
		finally {
			other.close();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> hubs(Health health) {
		return (Map<String, Map<String, Object>>) health.getDetails().get("hubs");
	}

	/**
	 * A backplane whose connection the test switches.
	 */
	static final class SwitchedBackplane implements Backplane {

		volatile boolean connected = true;

		@Override
		public void start(Node node) {
		}

		@Override
		public void publish(Target target, String text) {
		}

		@Override
		public void publishBinary(Target target, byte[] data) {
		}

		@Override
		public long clusterSize() {
			return 0;
		}

		@Override
		public long clusterSize(String room) {
			return 0;
		}

		@Override
		public boolean isConnected() {
			return this.connected;
		}

		@Override
		public String nodeId() {
			return "node-1";
		}

		@Override
		public void close() {
		}

	}

}
