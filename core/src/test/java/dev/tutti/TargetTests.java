package dev.tutti;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for broadcasts to {@link Target targets}.
 */
class TargetTests {

	private final Hub hub = Hub.create();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void allReachesEverySession() {
		List<TestConnection> connections = open(3);
		assertThat(this.hub.broadcast(Target.all(), "x").recipients()).isEqualTo(3);
		assertThat(connections).allSatisfy((c) -> assertThat(c.texts()).containsExactly("x"));
	}

	@Test
	void allExceptSkipsOneSession() {
		List<TestConnection> connections = open(3);
		String skipped = connections.get(1).session().id();
		this.hub.broadcast(Target.allExcept(skipped), "x");
		assertThat(connections.get(0).texts()).containsExactly("x");
		assertThat(connections.get(1).texts()).isEmpty();
		assertThat(connections.get(2).texts()).containsExactly("x");
	}

	@Test
	void sessionsReachesASessionGivenTwiceOnce() {
		List<TestConnection> connections = open(2);
		String id = connections.get(0).session().id();
		assertThat(this.hub.broadcast(Target.sessions(id, id), "x").recipients()).isOne();
		assertThat(connections.get(0).texts()).containsExactly("x");
		assertThat(connections.get(1).texts()).isEmpty();
	}

	@Test
	void sessionsReachesTheGivenIdsAndIgnoresUnknownOnes() {
		List<TestConnection> connections = open(3);
		BroadcastResult result = this.hub.broadcast(
				Target.sessions(Set.of(connections.get(0).session().id(), connections.get(2).session().id(), "gone")),
				"x");
		assertThat(result.recipients()).isEqualTo(2);
		assertThat(connections.get(1).texts()).isEmpty();
	}

	@Test
	void attributeEqualsReachesMatchingSessions() {
		List<TestConnection> connections = open(3);
		connections.get(0).session().set("team", "red");
		connections.get(1).session().set("team", "blue");
		connections.get(2).session().set("team", "red");
		this.hub.broadcast(Target.attributeEquals("team", "red"), "go red");
		assertThat(connections.get(0).texts()).containsExactly("go red");
		assertThat(connections.get(1).texts()).isEmpty();
		assertThat(connections.get(2).texts()).containsExactly("go red");
	}

	@Test
	void roomMinusSessionSkipsTheSender() {
		List<TestConnection> connections = open(3);
		connections.forEach((c) -> c.session().join("r"));
		String sender = connections.get(0).session().id();
		this.hub.broadcastBinary(Target.room("r").except(sender), new byte[] { 1 });
		assertThat(connections.get(0).binaries()).isEmpty();
		assertThat(connections.get(1).binaries()).hasSize(1);
		assertThat(connections.get(2).binaries()).hasSize(1);
	}

	@Test
	void targetsAreValues() {
		assertThat(Target.room("r").except("s")).isEqualTo(new Target.Except(new Target.Room("r"), "s"));
		assertThat(Target.sessions(List.of("a", "b"))).isEqualTo(Target.sessions(Set.of("b", "a")));
		assertThat(Target.allExcept("s")).isEqualTo(Target.all().except("s"));
	}

	private List<TestConnection> open(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj((i) -> {
			TestConnection connection = new TestConnection();
			connection.open(this.hub);
			return connection;
		}).toList();
	}

}
