package dev.tutti;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the seam a {@link Backplane} plugs into.
 */
class BackplaneTests {

	private final Hub hub = Hub.create();

	private final RecordingBackplane backplane = new RecordingBackplane();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void targetBroadcastIsPublishedOnceAndDeliveredLocally() {
		this.hub.backplane(this.backplane);
		TestConnection connection = open();
		BroadcastResult result = this.hub.broadcast(Target.room("lobby"), "hello");
		this.hub.broadcast("all");
		this.hub.broadcastBinary(Target.all(), new byte[] { 1 });
		assertThat(this.backplane.published).containsExactly("room:lobby=hello", "all=all", "all=binary:1");
		assertThat(result.recipients()).isZero();
		assertThat(connection.texts()).containsExactly("all");
		assertThat(connection.binaries()).containsExactly(new byte[] { 1 });
	}

	@Test
	void localBroadcastIsNeverPublished() {
		this.hub.backplane(this.backplane);
		TestConnection connection = open();
		this.hub.broadcastLocal((session) -> true, "local");
		assertThat(this.backplane.published).isEmpty();
		assertThat(connection.texts()).containsExactly("local");
	}

	@Test
	void refusedEnvelopeRefusesTheBroadcast() {
		this.hub.backplane(this.backplane);
		TestConnection connection = open();
		this.backplane.refuse = true;
		assertThatIllegalArgumentException().isThrownBy(() -> this.hub.broadcast("too big"));
		assertThat(connection.texts()).isEmpty();
	}

	@Test
	void otherNodesMessagesReachLocalSessionsOnly() {
		this.hub.backplane(this.backplane);
		TestConnection connection = open();
		BroadcastResult result = this.backplane.node.deliver(Target.all(), "remote");
		this.backplane.node.deliverBinary(Target.all(), new byte[] { 7 });
		assertThat(result.recipients()).isEqualTo(1);
		assertThat(connection.texts()).containsExactly("remote");
		assertThat(connection.binaries()).containsExactly(new byte[] { 7 });
		assertThat(this.backplane.published).isEmpty();
	}

	@Test
	void roomsThatGainTheirFirstOrLoseTheirLastMemberAreReported() {
		this.hub.backplane(this.backplane);
		TestConnection first = open();
		TestConnection second = open();
		first.session().join("lobby");
		second.session().join("lobby");
		assertThat(this.backplane.node.roomSize("lobby")).isEqualTo(2);
		assertThat(this.backplane.node.rooms()).isEqualTo(Map.of("lobby", 2));
		first.session().leave("lobby");
		second.session().leave("lobby");
		assertThat(this.backplane.roomChanges).containsExactly("lobby", "lobby");
		assertThat(this.backplane.node.size()).isEqualTo(2);
	}

	@Test
	void backplaneErrorsReachTheErrorHandlersWithoutASession() {
		List<Object> errors = new CopyOnWriteArrayList<>();
		this.hub.onError((session, error) -> errors.add((session != null) ? session : error));
		this.hub.backplane(this.backplane);
		BackplaneException failure = new BackplaneException("Redis is not connected");
		this.backplane.node.error(failure);
		assertThat(errors).containsExactly(failure);
	}

	@Test
	void clusterSizesComeFromTheBackplane() {
		assertThat(this.hub.clusterSize()).isZero();
		assertThat(this.hub.room("lobby").clusterSize()).isZero();
		this.hub.backplane(this.backplane);
		assertThat(this.hub.clusterSize()).isEqualTo(42);
		assertThat(this.hub.room("lobby").clusterSize()).isEqualTo(7);
	}

	@Test
	void closingTheHubClosesTheBackplane() {
		this.hub.backplane(this.backplane);
		this.hub.close();
		assertThat(this.backplane.closed).isTrue();
		this.backplane.node.deliver(Target.all(), "late");
	}

	@Test
	void hubTakesOneBackplane() {
		this.hub.backplane(this.backplane);
		assertThat(this.hub.backplane()).isSameAs(this.backplane);
		assertThatIllegalStateException().isThrownBy(() -> this.hub.backplane(new RecordingBackplane()))
			.withMessageContaining("has a backplane already");
	}

	@Test
	void closedHubTakesNoBackplane() {
		this.hub.close();
		assertThatExceptionOfType(HubClosedException.class).isThrownBy(() -> this.hub.backplane(this.backplane));
	}

	@Test
	void closedHubRefusesBroadcastsBeforePublishing() {
		this.hub.backplane(this.backplane);
		this.hub.close();
		assertThatExceptionOfType(HubClosedException.class).isThrownBy(() -> this.hub.broadcast("late"));
		assertThat(this.backplane.published).isEmpty();
	}

	private TestConnection open() {
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		return connection;
	}

	/**
	 * Records what the hub hands it.
	 */
	static final class RecordingBackplane implements Backplane {

		final List<String> published = new ArrayList<>();

		final List<String> roomChanges = new ArrayList<>();

		@Nullable Node node;

		boolean refuse;

		boolean closed;

		@Override
		public void start(Node node) {
			this.node = node;
		}

		@Override
		public void publish(Target target, String text) {
			if (this.refuse) {
				throw new IllegalArgumentException("Envelope too large");
			}
			this.published.add(describe(target) + "=" + text);
		}

		@Override
		public void publishBinary(Target target, byte[] data) {
			this.published.add(describe(target) + "=binary:" + data.length);
		}

		@Override
		public void roomChanged(String room) {
			this.roomChanges.add(room);
		}

		@Override
		public long clusterSize() {
			return 42;
		}

		@Override
		public long clusterSize(String room) {
			return 7;
		}

		@Override
		public boolean isConnected() {
			return !this.closed;
		}

		@Override
		public String nodeId() {
			return "test";
		}

		@Override
		public void close() {
			this.closed = true;
		}

		private static String describe(Target target) {
			return (target instanceof Target.Room room) ? "room:" + room.name() : "all";
		}

	}

}
