package dev.tutti.spring.actuate;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.tutti.CloseStatus;
import dev.tutti.Hub;
import dev.tutti.HubClosedException;
import dev.tutti.HubConfig;
import dev.tutti.OverflowPolicy;
import dev.tutti.spring.actuate.TestSessions.Opened;
import dev.tutti.spring.actuate.TuttiEndpoint.BroadcastDescriptor;
import dev.tutti.spring.actuate.TuttiEndpoint.HubDescriptor;
import dev.tutti.spring.actuate.TuttiEndpoint.SessionDescriptor;
import dev.tutti.spring.actuate.TuttiEndpoint.SettingsDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TuttiEndpoint}, against real hubs.
 */
class TuttiEndpointTests {

	private final Hub chat = Hub.create(HubConfig.builder()
		.name("chat")
		.writeTimeout(Duration.ofSeconds(5))
		.pongTimeout(Duration.ofSeconds(30))
		.pingPeriod(Duration.ofSeconds(20))
		.maxMessageSize(1024)
		.outboundBufferSize(2)
		.outboundBufferBytes(4096)
		.overflowPolicy(OverflowPolicy.DROP_NEWEST)
		.maxSessions(100)
		.inboundMessagesPerSecond(5)
		.build());

	private final Hub feed = Hub.create(HubConfig.builder().name("feed").build());

	private final List<TestConnection> connections = new ArrayList<>();

	@AfterEach
	void closeHubs() {
		this.connections.forEach(TestConnection::release);
		this.chat.close();
		this.feed.close();
	}

	@Test
	void listsEveryHubByName() {
		TuttiEndpoint endpoint = endpoint(Map.of("feedHub", this.feed, "chatHub", this.chat));
		assertThat(endpoint.hubs().hubs()).containsOnlyKeys("chat", "feed");
		assertThat(endpoint.hubs().hubs().keySet()).containsExactly("chat", "feed");
	}

	@Test
	void describesAHubsSettingsAndState() {
		HubDescriptor hub = endpoint().hubs().hubs().get("chat");
		assertThat(hub.name()).isEqualTo("chat");
		assertThat(hub.state()).isEqualTo("open");
		assertThat(hub.settings()).isEqualTo(new SettingsDescriptor("PT5S", "PT30S", "PT20S", 1024, 2, 4096,
				"DROP_NEWEST", 100, 5.0, 5, "DROP", false, "type", false, "PT10S"));
	}

	@Test
	void countsSessionsAndRoomMembers() {
		open(this.chat).session().join("lobby");
		Opened both = open(this.chat);
		both.session().join("lobby");
		both.session().join("games");
		open(this.chat);
		HubDescriptor hub = endpoint().hub("chat");
		assertThat(hub).isNotNull();
		assertThat(hub.sessions()).isEqualTo(3);
		assertThat(hub.rooms()).containsExactly(Map.entry("games", 1), Map.entry("lobby", 2));
		assertThat(endpoint().hub("feed").sessions()).isZero();
	}

	@Test
	void hubIsNullWhenUnknown() {
		assertThat(endpoint().hub("nope")).isNull();
	}

	@Test
	void listsTheDeepestQueuesFirst() {
		Opened deep = open(this.feed, stalled());
		Opened shallow = open(this.feed, stalled());
		open(this.feed);
		write(deep, 5);
		write(shallow, 3);
		await().until(() -> deep.queued() == 4 && shallow.queued() == 2);
		assertThat(endpoint().hub("feed").topSessions().byQueuedMessages()).extracting(SessionDescriptor::id)
			.containsExactly(deep.id(), shallow.id());
		assertThat(endpoint().hub("feed").topSessions().byQueuedMessages())
			.extracting(SessionDescriptor::queuedMessages)
			.containsExactly(4, 2);
	}

	@Test
	void listsTheLongestSilencesFirst() {
		Opened silent = open(this.chat);
		Opened talking = open(this.chat);
		Opened quiet = open(this.chat);
		talking.pong();
		assertThat(endpoint().hub("chat").topSessions().bySilence()).extracting(SessionDescriptor::id)
			.containsExactly(silent.id(), quiet.id(), talking.id());
	}

	@Test
	void listsTheMostDroppedFirst() {
		Opened most = open(this.chat, stalled());
		Opened some = open(this.chat, stalled());
		open(this.chat);
		// One message in flight and two queued fill a buffer of two; the rest is dropped
		write(most, 1);
		write(some, 1);
		await().until(() -> most.queued() == 0 && some.queued() == 0);
		write(most, 5);
		write(some, 3);
		List<SessionDescriptor> dropped = endpoint().hub("chat").topSessions().byDroppedMessages();
		assertThat(dropped).extracting(SessionDescriptor::id).containsExactly(most.id(), some.id());
		assertThat(dropped).extracting(SessionDescriptor::droppedMessages).containsExactly(3L, 1L);
	}

	@Test
	void listsNoMoreThanTopSessions() {
		List<Opened> sessions = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			sessions.add(open(this.feed, stalled()));
			write(sessions.get(i), i + 2);
		}
		await().until(() -> IntStream.range(0, 5).allMatch((i) -> sessions.get(i).queued() == i + 1));
		HubDescriptor hub = new TuttiEndpoint(Map.of("feed", this.feed), 2).hub("feed");
		assertThat(hub.topSessions().byQueuedMessages()).extracting(SessionDescriptor::id)
			.containsExactly(sessions.get(4).id(), sessions.get(3).id());
		assertThat(hub.topSessions().bySilence()).hasSize(2);
		assertThat(new TuttiEndpoint(Map.of("feed", this.feed), 0).hub("feed").topSessions().bySilence()).isEmpty();
	}

	@Test
	void rejectsANegativeNumberOfTopSessions() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TuttiEndpoint(Map.of("feed", this.feed), -1))
			.withMessage("topSessions must be zero or more, was -1");
	}

	@Test
	void describesASession() throws Exception {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 53012);
		Opened opened = TestSessions.open(this.chat, track(new TestConnection()), () -> "alice", address);
		opened.session().join("lobby");
		opened.session().join("games");
		Instant before = Instant.now();
		SessionDescriptor session = endpoint().session("chat", "sessions", opened.id());
		assertThat(session).isNotNull();
		assertThat(session.id()).isEqualTo(opened.id());
		assertThat(session.remoteAddress()).isEqualTo("192.0.2.1:53012");
		assertThat(session.principal()).isEqualTo("alice");
		assertThat(session.rooms()).containsExactly("games", "lobby");
		assertThat(Instant.parse(session.openedAt())).isBeforeOrEqualTo(before);
		assertThat(Duration.parse(session.age())).isBetween(Duration.ZERO, Duration.ofMinutes(1));
		assertThat(Duration.parse(session.silence())).isBetween(Duration.ZERO, Duration.ofMinutes(1));
		assertThat(session.connected()).isTrue();
		assertThat(session.queuedMessages()).isZero();
		assertThat(session.droppedMessages()).isZero();
	}

	@Test
	void describesASessionWithoutAddressOrPrincipal() {
		SessionDescriptor session = endpoint().session("chat", "sessions", open(this.chat).id());
		assertThat(session.remoteAddress()).isNull();
		assertThat(session.principal()).isNull();
		assertThat(session.rooms()).isEmpty();
	}

	@Test
	void bracketsAnIpv6Address() throws Exception {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443);
		Opened opened = TestSessions.open(this.chat, track(new TestConnection()), null, address);
		assertThat(endpoint().session("chat", "sessions", opened.id()).remoteAddress())
			.isEqualTo("[2001:db8:0:0:0:0:0:1]:443");
	}

	@Test
	void sessionIsNullWhenHubSessionOrSegmentIsUnknown() {
		String id = open(this.chat).id();
		TuttiEndpoint endpoint = endpoint();
		assertThat(endpoint.session("nope", "sessions", id)).isNull();
		assertThat(endpoint.session("feed", "sessions", id)).isNull();
		assertThat(endpoint.session("chat", "sessions", "nope")).isNull();
		assertThat(endpoint.session("chat", "rooms", id)).isNull();
	}

	@Test
	void broadcastReachesEverySessionOfTheHub() {
		Opened first = open(this.chat);
		Opened second = open(this.chat);
		Opened other = open(this.feed);
		assertThat(endpoint().broadcast("chat", "hello")).isEqualTo(new BroadcastDescriptor(2, 0));
		await().until(() -> first.connection().texts.contains("hello") && second.connection().texts.contains("hello"));
		assertThat(other.connection().texts).isEmpty();
	}

	@Test
	void broadcastToRoomReachesItsMembersOnly() {
		Opened member = open(this.chat);
		member.session().join("lobby");
		Opened outsider = open(this.chat);
		assertThat(endpoint().broadcastToRoom("chat", "rooms", "lobby", "hello lobby"))
			.isEqualTo(new BroadcastDescriptor(1, 0));
		assertThat(endpoint().broadcastToRoom("chat", "rooms", "empty", "hello nobody"))
			.isEqualTo(new BroadcastDescriptor(0, 0));
		endpoint().broadcast("chat", "fence");
		await().until(() -> member.connection().texts.equals(List.of("hello lobby", "fence"))
				&& outsider.connection().texts.equals(List.of("fence")));
	}

	@Test
	void broadcastReportsDroppedMessages() {
		Opened stalled = open(this.chat, stalled());
		write(stalled, 1);
		await().until(() -> stalled.queued() == 0);
		write(stalled, 2);
		assertThat(endpoint().broadcast("chat", "one too many")).isEqualTo(new BroadcastDescriptor(1, 1));
	}

	@Test
	void broadcastIsNullWhenHubOrSegmentIsUnknown() {
		assertThat(endpoint().broadcast("nope", "hello")).isNull();
		assertThat(endpoint().broadcastToRoom("nope", "rooms", "lobby", "hello")).isNull();
		assertThat(endpoint().broadcastToRoom("chat", "sessions", "lobby", "hello")).isNull();
	}

	@Test
	void broadcastToAClosedHubFails() {
		this.chat.close();
		assertThatExceptionOfType(HubClosedException.class).isThrownBy(() -> endpoint().broadcast("chat", "hello"));
		assertThatExceptionOfType(HubClosedException.class)
			.isThrownBy(() -> endpoint().broadcastToRoom("chat", "rooms", "lobby", "hello"));
	}

	@Test
	void closeSessionClosesItWithTheCodeAndReason() {
		Opened opened = open(this.chat);
		opened.session().join("lobby");
		SessionDescriptor closed = endpoint().closeSession("chat", "sessions", opened.id(), 4000, "kicked");
		assertThat(closed).isNotNull();
		assertThat(closed.id()).isEqualTo(opened.id());
		assertThat(closed.rooms()).containsExactly("lobby");
		await().until(() -> !opened.connection().closes.isEmpty());
		assertThat(opened.connection().closes).containsExactly(new CloseStatus(4000, "kicked"));
		assertThat(this.chat.size()).isZero();
	}

	@Test
	void closeSessionClosesNormallyByDefault() {
		Opened opened = open(this.chat);
		endpoint().closeSession("chat", "sessions", opened.id(), null, null);
		await().until(() -> !opened.connection().closes.isEmpty());
		assertThat(opened.connection().closes).containsExactly(CloseStatus.NORMAL);
	}

	@Test
	void closeSessionSendsWhatWasQueuedFirst() {
		Opened opened = open(this.feed, stalled());
		write(opened, 3);
		endpoint().closeSession("feed", "sessions", opened.id(), 4000, "bye");
		assertThat(opened.connection().closes).isEmpty();
		opened.connection().release();
		await().until(() -> !opened.connection().closes.isEmpty());
		assertThat(opened.connection().texts).containsExactly("message 0", "message 1", "message 2");
	}

	@Test
	void closeSessionIsNullWhenHubSessionOrSegmentIsUnknown() {
		Opened opened = open(this.chat);
		TuttiEndpoint endpoint = endpoint();
		assertThat(endpoint.closeSession("nope", "sessions", opened.id(), null, null)).isNull();
		assertThat(endpoint.closeSession("feed", "sessions", opened.id(), null, null)).isNull();
		assertThat(endpoint.closeSession("chat", "sessions", "nope", null, null)).isNull();
		assertThat(endpoint.closeSession("chat", "rooms", opened.id(), null, null)).isNull();
		assertThat(this.chat.size()).isOne();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1012, 1013, 1014, 3000, 4000, 4999 })
	void closeSessionAcceptsTheCodesAServerMaySend(int code) {
		Opened opened = open(this.chat);
		assertThat(endpoint().closeSession("chat", "sessions", opened.id(), code, "")).isNotNull();
		await().until(() -> !opened.connection().closes.isEmpty());
		assertThat(opened.connection().closes).containsExactly(new CloseStatus(code, ""));
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 0, 999, 1004, 1005, 1006, 1010, 1015, 1016, 2999, 5000 })
	void closeSessionRejectsTheCodesAServerMayNotSend(int code) {
		Opened opened = open(this.chat);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint().closeSession("chat", "sessions", opened.id(), code, null))
			.withMessage("Close code " + code
					+ " cannot be sent by a server: use 1000-1003, 1007-1009, 1011-1014 or 3000-4999")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ex.getMessage()));
		assertThat(this.chat.size()).isOne();
	}

	@Test
	void closeSessionRejectsAReasonLongerThanACloseFrameHolds() {
		Opened opened = open(this.chat);
		String reason = "é".repeat(62);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint().closeSession("chat", "sessions", opened.id(), 4000, reason))
			.withMessage("Close reason is 124 bytes long in UTF-8; a close frame holds 123 at most");
		assertThat(this.chat.size()).isOne();
		assertThat(endpoint().closeSession("chat", "sessions", opened.id(), 4000, "a".repeat(123))).isNotNull();
	}

	@Test
	void closeSessionRejectsABadCodeEvenForAnUnknownHub() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint().closeSession("nope", "sessions", "nope", 999, null));
	}

	@Test
	void showsAClosingAndAClosedHub() {
		Opened opened = open(this.feed, stalled());
		write(opened, 1);
		this.feed.close();
		assertThat(endpoint().hub("feed").state()).isEqualTo("closing");
		assertThat(endpoint().hub("feed").sessions()).isZero();
		opened.connection().release();
		await().until(() -> "closed".equals(endpoint().hub("feed").state()));
	}

	@Test
	void hubsThatShareANameAreKnownByBeanName() {
		Hub other = Hub.create(HubConfig.builder().name("chat").build());
		try {
			Map<String, Hub> hubs = new LinkedHashMap<>();
			hubs.put("chatHub", this.chat);
			hubs.put("otherChatHub", other);
			hubs.put("feedHub", this.feed);
			hubs.put("feedAlias", this.feed);
			TuttiEndpoint endpoint = endpoint(hubs);
			assertThat(endpoint.hubs().hubs()).containsOnlyKeys("chatHub", "otherChatHub", "feed");
			assertThat(endpoint.hub("otherChatHub").name()).isEqualTo("chat");
		}
		finally {
			other.close();
		}
	}

	@Test
	void hubsThatCannotBeToldApartFail() {
		Hub other = Hub.create(HubConfig.builder().name("chat").build());
		Hub named = Hub.create(HubConfig.builder().name("chatHub").build());
		try {
			Map<String, Hub> hubs = new LinkedHashMap<>();
			hubs.put("chatHub", this.chat);
			hubs.put("otherChatHub", other);
			hubs.put("third", named);
			assertThatIllegalStateException().isThrownBy(() -> endpoint(hubs))
				.withMessage("Two hubs are known as 'chatHub', one by its name, one by its bean name: "
						+ "give each hub a distinct name");
		}
		finally {
			other.close();
			named.close();
		}
	}

	private TuttiEndpoint endpoint() {
		return endpoint(Map.of("chatHub", this.chat, "feedHub", this.feed));
	}

	private static TuttiEndpoint endpoint(Map<String, Hub> hubs) {
		return new TuttiEndpoint(hubs, 10);
	}

	private Opened open(Hub hub) {
		return open(hub, new TestConnection());
	}

	private Opened open(Hub hub, TestConnection connection) {
		return TestSessions.open(hub, track(connection));
	}

	private TestConnection stalled() {
		return new TestConnection().stall();
	}

	private TestConnection track(TestConnection connection) {
		this.connections.add(connection);
		return connection;
	}

	private static void write(Opened opened, int messages) {
		for (int i = 0; i < messages; i++) {
			opened.session().write("message " + i);
		}
	}

}
