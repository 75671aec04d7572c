package dev.tutti.transport;

import dev.tutti.HandshakeResult;

/**
 * A handshake as the transport carries it out, returned by
 * {@link dev.tutti.Hub#handshake(dev.tutti.HandshakeRequest)}.
 * <p>
 * When the handshake is accepted the hub has already registered the new session, before
 * the transport sends its upgrade response: every broadcast from then on reaches the
 * session, whose outbound buffer holds the messages until {@link #open(Connection)}
 * attaches the connection. The transport must then call exactly one of
 * {@link #open(Connection)}, once the connection is open, or {@link #abandon()}, if the
 * upgrade fails. A session whose upgrade is neither opened nor abandoned within the hub's
 * pong timeout is dropped.
 * <p>
 * Thread-safe.
 */
public interface Upgrade {

	/**
	 * Return whether the handshake was accepted, and the HTTP status to refuse it with
	 * otherwise.
	 * @return the result of the hub's handshake handlers
	 */
	HandshakeResult result();

	/**
	 * Attach the open connection to the session, run the hub's connect handlers and start
	 * writing what the session's buffer holds. If the session was closed in the meantime
	 * (for example because the hub closed), its close frame is sent once its buffered
	 * messages are written.
	 * @param connection the connection
	 * @return the listener the transport reports the connection's events to
	 * @throws IllegalStateException if the handshake was refused, or this upgrade was
	 * already opened or abandoned
	 */
	ConnectionListener open(Connection connection);

	/**
	 * Give up on the upgrade: the session leaves the hub without its connect or
	 * disconnect handlers running, and what its buffer holds is dropped. Does nothing for
	 * a refused handshake or an upgrade that was already opened or abandoned.
	 */
	void abandon();

}
