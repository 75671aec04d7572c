package dev.tutti;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one session's state for operators, as {@link Hub#sessionInfo()} returns
 * it: who it is, where it is, and whether it needs attention (a deep outbound queue, a
 * long silence, dropped messages).
 * <p>
 * Immutable and thread-safe.
 *
 * @param id the session id
 * @param remoteAddress the peer's address, or {@code null} if the transport does not know
 * it
 * @param principal the name of the handshake's authenticated user, or {@code null}
 * @param rooms the rooms the session is in
 * @param openedAt when the session's handshake was accepted
 * @param connected whether its connection has opened (it is still opening otherwise)
 * @param queuedMessages the messages waiting in its outbound buffer
 * @param droppedMessages the messages its overflow policy has dropped so far
 * @param silence the time since a frame (any message or pong) last arrived from the peer
 */
public record SessionInfo(String id, @Nullable InetSocketAddress remoteAddress, @Nullable String principal,
		Set<String> rooms, Instant openedAt, boolean connected, int queuedMessages, long droppedMessages,
		Duration silence) {

}
