package dev.tutti.spring.actuate;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

import dev.tutti.BroadcastResult;
import dev.tutti.CloseStatus;
import dev.tutti.Hub;
import dev.tutti.HubClosedException;
import dev.tutti.HubConfig;
import dev.tutti.SessionInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows operators every {@link Hub} of the application
 * and lets them act on its sessions. Over HTTP, under the actuator's base path:
 * <ul>
 * <li>{@code GET /tutti} lists every hub: its settings, state, session count, rooms with
 * their member counts, and the sessions that need attention most: the deepest outbound
 * queues, the longest silences and the most dropped messages ({@link #hubs()});</li>
 * <li>{@code GET /tutti/{hub}} shows one hub ({@link #hub(String)});</li>
 * <li>{@code GET /tutti/{hub}/sessions/{id}} shows one session
 * ({@link #session(String, String, String)});</li>
 * <li>{@code POST /tutti/{hub}} with {@code {"text": "..."}} broadcasts a text message to
 * every session of a hub ({@link #broadcast(String, String)});</li>
 * <li>{@code POST /tutti/{hub}/rooms/{room}} with {@code {"text": "..."}} broadcasts it
 * to the members of a room
 * ({@link #broadcastToRoom(String, String, String, String)});</li>
 * <li>{@code DELETE /tutti/{hub}/sessions/{id}?code=4000&reason=...} closes a session
 * ({@link #closeSession(String, String, String, Integer, String)}).</li>
 * </ul>
 * An unknown hub or session is answered with 404, an invalid close code or reason with
 * 400 (see {@link TuttiEndpointWebExtension} for the write operations).
 * <p>
 * The write operations are administrative: whoever reaches them can send any text to
 * every user and disconnect anyone. So the endpoint's default access is
 * {@link Access#READ_ONLY}; an application that grants more
 * ({@code management.endpoint.tutti.access=unrestricted}) must restrict the endpoint to
 * operators, for example with Spring Security.
 * <p>
 * Hubs are known by their names ({@link HubConfig#name()}); hubs that share a name are
 * known by their bean names instead.
 * <p>
 * Thread-safe: every operation reads the hubs' state afresh.
 */
@Endpoint(id = "tutti", defaultAccess = Access.READ_ONLY)
public class TuttiEndpoint {

	private static final String SESSIONS = "sessions";

	private static final String ROOMS = "rooms";

	/** Longest close reason a close frame holds, in UTF-8 bytes. */
	private static final int MAX_REASON_BYTES = 123;

	private static final Comparator<SessionInfo> BY_ID = Comparator.comparing(SessionInfo::id);

	private static final Comparator<SessionInfo> BY_QUEUED_MESSAGES = Comparator
		.comparingInt(SessionInfo::queuedMessages)
		.thenComparing(BY_ID.reversed());

	private static final Comparator<SessionInfo> BY_SILENCE = Comparator.comparing(SessionInfo::silence)
		.thenComparing(BY_ID.reversed());

	private static final Comparator<SessionInfo> BY_DROPPED_MESSAGES = Comparator
		.comparingLong(SessionInfo::droppedMessages)
		.thenComparing(BY_ID.reversed());

	private final Map<String, Hub> hubs;

	private final int topSessions;

	/**
	 * Create an endpoint.
	 * @param hubs the hubs to show, by bean name
	 * @param topSessions how many sessions each list of sessions that need attention
	 * holds at most
	 * @throws IllegalArgumentException if {@code topSessions} is negative
	 * @throws IllegalStateException if two hubs cannot be told apart: one hub's bean name
	 * is the name of another
	 */
	public TuttiEndpoint(Map<String, Hub> hubs, int topSessions) {
		if (topSessions < 0) {
			throw new IllegalArgumentException("topSessions must be zero or more, was " + topSessions);
		}
		this.hubs = Hubs.byName(hubs);
		this.topSessions = topSessions;
	}

	/**
	 * Describe every hub.
	 * @return the hubs by name
	 */
	@ReadOperation
	public HubsDescriptor hubs() {
		Map<String, HubDescriptor> descriptors = new LinkedHashMap<>();
		this.hubs.forEach((key, hub) -> descriptors.put(key, describe(hub)));
		return new HubsDescriptor(descriptors);
	}

	/**
	 * Describe one hub.
	 * @param hub the hub's name
	 * @return the hub, or {@code null} if there is no such hub
	 */
	@ReadOperation
	public @Nullable HubDescriptor hub(@Selector String hub) {
		Hub found = this.hubs.get(hub);
		return (found != null) ? describe(found) : null;
	}

	/**
	 * Describe one session.
	 * @param hub the hub's name
	 * @param sessions the path segment {@code sessions}
	 * @param id the session id
	 * @return the session, or {@code null} if there is no such hub or open session, or
	 * the segment is not {@code sessions}
	 */
	@ReadOperation
	public @Nullable SessionDescriptor session(@Selector String hub, @Selector String sessions, @Selector String id) {
		Hub found = find(hub, sessions, SESSIONS);
		SessionInfo info = (found != null) ? found.sessionInfo(id) : null;
		return (info != null) ? describe(info, Instant.now()) : null;
	}

	/**
	 * Broadcast a text message to every session of a hub. Administrative.
	 * @param hub the hub's name
	 * @param text the message
	 * @return what the broadcast did, or {@code null} if there is no such hub
	 * @throws HubClosedException if the hub is closed
	 */
	@WriteOperation
	public @Nullable BroadcastDescriptor broadcast(@Selector String hub, String text) {
		Hub found = this.hubs.get(hub);
		return (found != null) ? describe(found.broadcast(text)) : null;
	}

	/**
	 * Broadcast a text message to the members of a room of a hub. Administrative.
	 * @param hub the hub's name
	 * @param rooms the path segment {@code rooms}
	 * @param room the room's name; a room without members receives nothing
	 * @param text the message
	 * @return what the broadcast did, or {@code null} if there is no such hub or the
	 * segment is not {@code rooms}
	 * @throws HubClosedException if the hub is closed
	 */
	@WriteOperation
	public @Nullable BroadcastDescriptor broadcastToRoom(@Selector String hub, @Selector String rooms,
			@Selector String room, String text) {
		Hub found = find(hub, rooms, ROOMS);
		return (found != null) ? describe(found.room(room).broadcast(text)) : null;
	}

	/**
	 * Close a session. The session sends what was queued for it, then its close frame.
	 * Administrative.
	 * @param hub the hub's name
	 * @param sessions the path segment {@code sessions}
	 * @param id the session id
	 * @param code the close code, 1000 (normal closure) if {@code null}: one that a
	 * server may send, 1000-1003, 1007-1009, 1011-1014 or 3000-4999
	 * @param reason the close reason, none if {@code null}: at most 123 bytes in UTF-8
	 * @return the session as it was when it was closed, or {@code null} if there is no
	 * such hub or open session, or the segment is not {@code sessions}
	 * @throws InvalidEndpointRequestException if the code or the reason is invalid
	 */
	@DeleteOperation
	public @Nullable SessionDescriptor closeSession(@Selector String hub, @Selector String sessions,
			@Selector String id, @Nullable Integer code, @Nullable String reason) {
		CloseStatus status = closeStatus(code, reason);
		Hub found = find(hub, sessions, SESSIONS);
		SessionInfo info = (found != null) ? found.sessionInfo(id) : null;
		if (found == null || info == null || !found.closeSession(id, status)) {
			return null;
		}
		return describe(info, Instant.now());
	}

	private @Nullable Hub find(String hub, String segment, String expectedSegment) {
		return expectedSegment.equals(segment) ? this.hubs.get(hub) : null;
	}

	private HubDescriptor describe(Hub hub) {
		HubConfig config = hub.config();
		List<SessionInfo> infos = (this.topSessions > 0) ? hub.sessionInfo() : List.of();
		// After the snapshot, so that no session looks younger than its silence
		Instant now = Instant.now();
		TopSessionsDescriptor top = new TopSessionsDescriptor(
				top(infos, (info) -> info.queuedMessages() > 0, BY_QUEUED_MESSAGES, now),
				top(infos, (info) -> true, BY_SILENCE, now),
				top(infos, (info) -> info.droppedMessages() > 0, BY_DROPPED_MESSAGES, now));
		return new HubDescriptor(config.name(), Hubs.state(hub), describe(config), hub.size(), hub.rooms(), top);
	}

	/**
	 * Return the greatest sessions in an order, greatest first, that a filter accepts: at
	 * most {@link #topSessions}, picked with a heap of that size rather than a sort of
	 * every session.
	 */
	private List<SessionDescriptor> top(List<SessionInfo> infos, Predicate<SessionInfo> filter,
			Comparator<SessionInfo> order, Instant now) {
		PriorityQueue<SessionInfo> greatest = new PriorityQueue<>(order);
		for (SessionInfo info : infos) {
			if (filter.test(info)) {
				greatest.add(info);
				if (greatest.size() > this.topSessions) {
					greatest.poll();
				}
			}
		}
		List<SessionInfo> sorted = new ArrayList<>(greatest);
		sorted.sort(order.reversed());
		return sorted.stream().map((info) -> describe(info, now)).toList();
	}

	private static SettingsDescriptor describe(HubConfig config) {
		return new SettingsDescriptor(format(config.writeTimeout()), format(config.pongTimeout()),
				format(config.pingPeriod()), config.maxMessageSize(), config.outboundBufferSize(),
				config.outboundBufferBytes(), config.overflowPolicy().name(), config.maxSessions(),
				config.inboundMessagesPerSecond(), config.inboundBurst(), config.inboundRateLimitPolicy().name(),
				config.concurrentMessageHandling(), config.messageTypeProperty(), config.decodingErrorReply(),
				format(config.shutdownTimeout()));
	}

	private static SessionDescriptor describe(SessionInfo info, Instant now) {
		Duration age = Duration.between(info.openedAt(), now);
		return new SessionDescriptor(info.id(), format(info.remoteAddress()), info.principal(),
				info.rooms().stream().sorted().toList(), info.openedAt().toString(),
				format(age.isNegative() ? Duration.ZERO : age), info.connected(), info.queuedMessages(),
				info.droppedMessages(), format(info.silence()));
	}

	private static BroadcastDescriptor describe(BroadcastResult result) {
		return new BroadcastDescriptor(result.recipients(), result.dropped());
	}

	/**
	 * Format a duration in ISO-8601, to the millisecond, such as {@code PT1.5S}.
	 */
	private static String format(Duration duration) {
		return duration.truncatedTo(ChronoUnit.MILLIS).toString();
	}

	/**
	 * Format an address as {@code host:port}, with the IP address as host when it is
	 * known, such as {@code 192.0.2.1:53012} or {@code [2001:db8::1]:53012}.
	 */
	private static @Nullable String format(@Nullable InetSocketAddress address) {
		if (address == null) {
			return null;
		}
		InetAddress ip = address.getAddress();
		String host = (ip != null) ? ip.getHostAddress() : address.getHostString();
		return ((ip instanceof Inet6Address) ? "[" + host + "]" : host) + ":" + address.getPort();
	}

	/**
	 * Return the close status for a requested code and reason.
	 * @throws InvalidEndpointRequestException if a server may not send the code or the
	 * reason does not fit in a close frame
	 */
	private static CloseStatus closeStatus(@Nullable Integer code, @Nullable String reason) {
		int value = (code != null) ? code : CloseStatus.NORMAL.code();
		if (!isSendable(value)) {
			String message = "Close code " + value
					+ " cannot be sent by a server: use 1000-1003, 1007-1009, 1011-1014 or 3000-4999";
			throw new InvalidEndpointRequestException(message, message);
		}
		String text = (reason != null) ? reason : "";
		int length = text.getBytes(StandardCharsets.UTF_8).length;
		if (length > MAX_REASON_BYTES) {
			String message = "Close reason is " + length + " bytes long in UTF-8; a close frame holds "
					+ MAX_REASON_BYTES + " at most";
			throw new InvalidEndpointRequestException(message, message);
		}
		return new CloseStatus(value, text);
	}

	/**
	 * Whether a server may send a close code (RFC 6455, section 7.4, and the IANA
	 * registry): not 1004-1006 or 1015, which are reserved or never sent, not 1010, which
	 * only clients send, and nothing in the ranges reserved for the protocol.
	 */
	private static boolean isSendable(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014 && code != 1010)
				|| (code >= 3000 && code <= 4999);
	}

	/**
	 * Every hub, by name.
	 *
	 * @param hubs the hubs by name (or by bean name for hubs that share a name)
	 */
	public record HubsDescriptor(Map<String, HubDescriptor> hubs) implements OperationResponseBody {

	}

	/**
	 * One hub.
	 *
	 * @param name the hub's name
	 * @param state {@code open}, {@code closing} (its sessions are sending what was
	 * queued and their close frames) or {@code closed}
	 * @param settings the hub's settings
	 * @param sessions the number of open sessions
	 * @param rooms the rooms that have members, with their member counts, by name
	 * @param topSessions the sessions that need attention most
	 */
	public record HubDescriptor(String name, String state, SettingsDescriptor settings, int sessions,
			Map<String, Integer> rooms, TopSessionsDescriptor topSessions) implements OperationResponseBody {

	}

	/**
	 * A hub's settings, durations in ISO-8601 (such as {@code PT10S}).
	 *
	 * @param writeTimeout how long one write may take
	 * @param pongTimeout how long a session may stay silent
	 * @param pingPeriod the interval between pings
	 * @param maxMessageSize the largest inbound message accepted, in bytes
	 * @param outboundBufferSize how many messages a session's outbound buffer holds
	 * @param outboundBufferBytes how many bytes of payload a session's outbound buffer
	 * holds
	 * @param overflowPolicy what happens when a session's outbound buffer is full
	 * @param maxSessions the most sessions the hub holds, or -1 for no limit
	 * @param inboundMessagesPerSecond each session's inbound rate limit, or 0 for none
	 * @param inboundBurst how many inbound messages a session may send at once
	 * @param inboundRateLimitPolicy what happens to a message over the rate limit
	 * @param concurrentMessageHandling whether a session's messages may be handled
	 * concurrently
	 * @param messageTypeProperty the JSON property that selects a typed handler
	 * @param decodingErrorReply whether clients get a reply to undecodable messages
	 * @param shutdownTimeout how long a closed hub's sessions get to close
	 */
	public record SettingsDescriptor(String writeTimeout, String pongTimeout, String pingPeriod, int maxMessageSize,
			int outboundBufferSize, long outboundBufferBytes, String overflowPolicy, int maxSessions,
			double inboundMessagesPerSecond, int inboundBurst, String inboundRateLimitPolicy,
			boolean concurrentMessageHandling, String messageTypeProperty, boolean decodingErrorReply,
			String shutdownTimeout) {

	}

	/**
	 * The sessions of a hub that need attention most, greatest first, each list at most
	 * as long as the endpoint's {@code topSessions}.
	 *
	 * @param byQueuedMessages the sessions with the most messages waiting in their
	 * outbound buffers: slow or stalled clients
	 * @param bySilence the sessions that have been silent (no message, no pong) longest
	 * @param byDroppedMessages the sessions whose overflow policy has dropped the most
	 * messages
	 */
	public record TopSessionsDescriptor(List<SessionDescriptor> byQueuedMessages, List<SessionDescriptor> bySilence,
			List<SessionDescriptor> byDroppedMessages) {

	}

	/**
	 * One session, durations in ISO-8601 to the millisecond (such as {@code PT1.5S}).
	 *
	 * @param id the session id
	 * @param remoteAddress the peer's address as {@code host:port}, or {@code null} if
	 * unknown
	 * @param principal the name of the user who opened the session, or {@code null}
	 * @param rooms the rooms the session is in, sorted
	 * @param openedAt when the session's handshake was accepted, in ISO-8601
	 * @param age the time since the session's handshake was accepted
	 * @param connected whether the session's connection is open (it is still opening
	 * otherwise)
	 * @param queuedMessages the messages waiting in its outbound buffer
	 * @param droppedMessages the messages its overflow policy has dropped so far
	 * @param silence the time since a frame (any message or pong) last arrived from the
	 * peer
	 */
	public record SessionDescriptor(String id, @Nullable String remoteAddress, @Nullable String principal,
			List<String> rooms, String openedAt, String age, boolean connected, int queuedMessages,
			long droppedMessages, String silence) implements OperationResponseBody {

	}

	/**
	 * What a broadcast did.
	 *
	 * @param recipients the number of open sessions the message was offered to
	 * @param dropped the number of messages an overflow policy dropped
	 */
	public record BroadcastDescriptor(int recipients, int dropped) implements OperationResponseBody {

	}

}
