package dev.tutti.transport;

import java.nio.ByteBuffer;

/**
 * What a transport reports to the hub about one open connection. Returned by
 * {@link Upgrade#open(Connection)}.
 * <p>
 * Frames of one connection must be reported serially (never two calls at once), in the
 * order they arrived, as containers do for their read callbacks.
 */
public interface ConnectionListener {

	/**
	 * Report a text message or a part of one. Parts are reassembled by the hub up to the
	 * hub's maximum message size.
	 * @param part the text of this part
	 * @param last whether this part completes the message
	 */
	void onText(String part, boolean last);

	/**
	 * Report a binary message or a part of one.
	 * @param part the bytes of this part; the hub copies what it keeps
	 * @param last whether this part completes the message
	 */
	void onBinary(ByteBuffer part, boolean last);

	/**
	 * Report a pong frame.
	 * @param data the pong payload
	 */
	void onPong(ByteBuffer data);

	/**
	 * Report a transport error, such as a failed read or a reset connection.
	 * @param error the error
	 */
	void onError(Throwable error);

	/**
	 * Report that the connection is closed. Called once; later calls are ignored.
	 * @param code the close code received from the peer, or 1006 if the connection ended
	 * without a close frame
	 * @param reason the close reason, possibly empty
	 */
	void onClosed(int code, String reason);

}
