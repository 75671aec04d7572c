package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection owned by a {@link Hub}.
 * <p>
 * Thread-safe: any thread may write, close or use the attributes at any time. Writes
 * never block: they offer the message to the session's bounded outbound buffer, which one
 * drain at a time writes to the connection, in order. When the buffer is full the hub's
 * {@link OverflowPolicy} applies and the error handler receives a
 * {@link BufferFullException}.
 */
public interface Session {

	/**
	 * Return the session's id, unique across hubs and application instances. Ids are not
	 * secret (they are cheap to make and partly sequential): do not use one as a
	 * credential.
	 * @return the id
	 */
	String id();

	/**
	 * Queue a text message.
	 * @param text the message
	 * @return {@code true} if the message was queued, {@code false} if the overflow
	 * policy dropped it or closed the session
	 * @throws SessionClosedException if the session is closed
	 */
	boolean write(String text);

	/**
	 * Queue a text message whose write must complete within the given time instead of the
	 * hub's write timeout.
	 * @param text the message
	 * @param writeTimeout the time the write may take once it starts
	 * @return {@code true} if the message was queued
	 * @throws SessionClosedException if the session is closed
	 */
	boolean write(String text, Duration writeTimeout);

	/**
	 * Queue a binary message. The array is copied.
	 * @param data the message
	 * @return {@code true} if the message was queued
	 * @throws SessionClosedException if the session is closed
	 */
	boolean writeBinary(byte[] data);

	/**
	 * Queue a binary message whose write must complete within the given time.
	 * @param data the message; the array is copied
	 * @param writeTimeout the time the write may take once it starts
	 * @return {@code true} if the message was queued
	 * @throws SessionClosedException if the session is closed
	 */
	boolean writeBinary(byte[] data, Duration writeTimeout);

	/**
	 * Queue a text message and learn when it is written. Lets a producer wait for each
	 * message before making the next (backpressure).
	 * @param text the message
	 * @return a stage completed when the frame is written, or completed exceptionally
	 * with {@link SessionClosedException}, {@link BufferFullException} or the transport's
	 * error
	 */
	CompletionStage<Void> writeAsync(String text);

	/**
	 * Queue a binary message and learn when it is written.
	 * @param data the message; the array is copied
	 * @return a stage completed when the frame is written, or completed exceptionally
	 */
	CompletionStage<Void> writeBinaryAsync(byte[] data);

	/**
	 * Encode a value with the hub's {@link Hub#codec(Codec) codec} and queue it as a text
	 * message.
	 * @param value the value
	 * @return {@code true} if the message was queued
	 * @throws SessionClosedException if the session is closed
	 * @throws IllegalStateException if the hub has no codec
	 */
	boolean writeJson(Object value);

	/**
	 * Queue an application error for the client, in the same shape as the reply to an
	 * undecodable message: {@code {"type":"error","message":"..."}} (the type property is
	 * {@link HubConfig#messageTypeProperty()}), encoded with the hub's codec.
	 * @param message the error message for the client
	 * @return {@code true} if the message was queued
	 * @throws SessionClosedException if the session is closed
	 * @throws IllegalStateException if the hub has no codec
	 */
	boolean writeError(String message);

	/**
	 * Join a room of the hub. Joining a room twice is a no-op. The session leaves all its
	 * rooms when it disconnects. Membership changes are atomic: a join racing a leave or
	 * the session's disconnect never leaves the session in a room it is not in.
	 * @param room the room name
	 * @return {@code true} if the session was not in the room yet
	 * @throws SessionClosedException if the session is closed
	 */
	boolean join(String room);

	/**
	 * Leave a room.
	 * @param room the room name
	 * @return {@code true} if the session was in the room
	 */
	boolean leave(String room);

	/**
	 * Return the rooms this session is in.
	 * @return a snapshot of the room names
	 */
	Set<String> rooms();

	/**
	 * Close the session normally (1000) once the messages already queued are written.
	 * Idempotent. The session leaves the hub and the disconnect handler runs before this
	 * method returns.
	 */
	void close();

	/**
	 * Close the session with the given status once the messages already queued are
	 * written. Idempotent. If one of those writes does not complete within the write
	 * timeout, the connection is closed with {@link CloseStatus#WRITE_TIMEOUT} instead.
	 * @param status the close status sent to the peer
	 */
	void close(CloseStatus status);

	/**
	 * Whether the session is closed: closed by either side, or by the hub.
	 * @return {@code true} once closed
	 */
	boolean isClosed();

	/**
	 * Set an attribute.
	 * @param key the key
	 * @param value the value
	 */
	void set(String key, Object value);

	/**
	 * Return an attribute.
	 * @param key the key
	 * @return the value, or {@code null} if absent
	 */
	@Nullable Object get(String key);

	/**
	 * Return an attribute of the given type.
	 * @param <T> the type
	 * @param key the key
	 * @param type the expected type
	 * @return the value, or {@code null} if absent
	 * @throws ClassCastException if the value is not of the given type
	 */
	<T> @Nullable T get(String key, Class<T> type);

	/**
	 * Remove an attribute.
	 * @param key the key
	 * @return the value it had, or {@code null}
	 */
	@Nullable Object remove(String key);

	/**
	 * Return the attribute keys.
	 * @return a snapshot of the keys
	 */
	Set<String> keys();

	/**
	 * Return the peer's address.
	 * @return the address, or {@code null} if the transport does not know it
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * Return the local address the connection was accepted on.
	 * @return the address, or {@code null} if the transport does not know it
	 */
	@Nullable InetSocketAddress localAddress();

	/**
	 * Return the authenticated user of the handshake.
	 * @return the principal, or {@code null}
	 */
	@Nullable Principal principal();

	/**
	 * Return the handshake request URI, including its query string.
	 * @return the URI
	 */
	URI uri();

	/**
	 * Return the handshake request headers.
	 * @return an unmodifiable map of header names to values
	 */
	Map<String, List<String>> headers();

	/**
	 * Return the decoded query parameters of the handshake URI.
	 * @return an unmodifiable map of parameter names to values
	 */
	Map<String, List<String>> queryParameters();

}
