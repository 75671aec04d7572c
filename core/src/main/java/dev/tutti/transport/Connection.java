package dev.tutti.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection as the hub sees it. A transport adapter implements this over
 * its container's connection object and passes it to {@link Upgrade#open(Connection)}.
 * What the handshake request carried (URI, headers, principal, remote address) reaches
 * the hub earlier, in the {@link dev.tutti.HandshakeRequest}.
 * <p>
 * The hub never has more than one
 * {@code sendText}/{@code sendBinary}/{@code sendPing}/{@code flush} in flight per
 * connection: it calls the next one only after the previous callback ran. Implementations
 * must be thread-safe for that pattern (calls may come from different threads).
 */
public interface Connection {

	/**
	 * Send a whole text message: without blocking on I/O, or, on a batching connection,
	 * into the buffer that {@link #flush(SendCallback)} writes out.
	 * @param text the message
	 * @param callback notified exactly once when the frame is written or has failed; it
	 * may run on the calling thread before this method returns, and on a batching
	 * connection it must have run by then
	 */
	void sendText(String text, SendCallback callback);

	/**
	 * Whether this connection would rather send a text message from its UTF-8 encoding,
	 * through {@link #sendText(String, ByteBuffer, SendCallback)}. The hub then encodes a
	 * message once and shares the bytes among every recipient, instead of having each
	 * connection encode it again. Read once per connection. Default: {@code false}.
	 * @return {@code true} if the hub should call
	 * {@link #sendText(String, ByteBuffer, SendCallback)}
	 */
	default boolean sendsEncodedText() {
		return false;
	}

	/**
	 * Send a whole text message whose UTF-8 encoding the hub already holds, with the same
	 * contract as {@link #sendText(String, SendCallback)}. Called instead of it only when
	 * {@link #sendsEncodedText()} returns {@code true}. Default: send {@code text}
	 * through {@link #sendText(String, SendCallback)}.
	 * @param text the message
	 * @param utf8 the message encoded in UTF-8: a read-only buffer of this call's own,
	 * over bytes shared with other connections
	 * @param callback notified exactly once when the frame is written or has failed
	 */
	default void sendText(String text, ByteBuffer utf8, SendCallback callback) {
		sendText(text, callback);
	}

	/**
	 * Send a whole binary message: without blocking on I/O, or, on a batching connection,
	 * into the buffer that {@link #flush(SendCallback)} writes out.
	 * @param data the message: a read-only buffer of this call's own, over bytes that may
	 * be shared with other connections
	 * @param callback notified exactly once when the frame is written or has failed
	 */
	void sendBinary(ByteBuffer data, SendCallback callback);

	/**
	 * Send a ping, and on a batching connection also write out what earlier sends left in
	 * the buffer. The hub calls this from its worker or writer threads, never from a
	 * container thread, so implementations whose container only offers a blocking ping
	 * may block for at most the write timeout. On a batching connection the callback must
	 * have run when this method returns.
	 * @param data the ping payload (at most 125 bytes)
	 * @param callback notified exactly once when the ping is written or has failed
	 */
	void sendPing(ByteBuffer data, SendCallback callback);

	/**
	 * Whether this connection batches: {@code sendText} and {@code sendBinary} may block
	 * (for at most the write timeout) and may leave the frame in a buffer that only
	 * {@link #flush(SendCallback)} writes out. The hub then drains the session on its
	 * writer threads, never on a container or application thread: it sends every queued
	 * message and flushes once, so a backlog goes out in few writes. Default:
	 * {@code false}, for connections whose sends are asynchronous.
	 * @return {@code true} for a batching connection
	 */
	default boolean isBatching() {
		return false;
	}

	/**
	 * Write out what earlier sends left in the buffer. Called only on batching
	 * connections, from the hub's writer threads, with no send in flight; may block for
	 * at most the write timeout; the callback must have run when this method returns.
	 * Default: complete at once.
	 * @param callback notified exactly once when the buffer is written or the write
	 * failed
	 */
	default void flush(SendCallback callback) {
		callback.completed(null);
	}

	/**
	 * Send a close frame with the given status and close the connection. May block for at
	 * most the write timeout; the hub calls it from its worker threads. Once the
	 * connection is closed the transport reports it through
	 * {@link ConnectionListener#onClosed}.
	 * @param code the close code
	 * @param reason the close reason (at most 123 bytes of UTF-8)
	 */
	void close(int code, String reason);

	/**
	 * Return the local address the connection was accepted on.
	 * @return the local address, or {@code null} if the transport does not know it
	 */
	@Nullable InetSocketAddress localAddress();

}
