package dev.tutti.spring.actuate;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.HandshakeRequest;
import dev.tutti.Hub;
import dev.tutti.Session;
import dev.tutti.SessionInfo;
import dev.tutti.transport.ConnectionListener;
import org.jspecify.annotations.Nullable;

/**
 * Opens sessions on a hub the way a transport does, with a {@link TestConnection}.
 */
final class TestSessions {

	private static final AtomicInteger counter = new AtomicInteger();

	private TestSessions() {
	}

	static Opened open(Hub hub) {
		return open(hub, new TestConnection(), null, null);
	}

	static Opened open(Hub hub, TestConnection connection) {
		return open(hub, connection, null, null);
	}

	static Opened open(Hub hub, TestConnection connection, @Nullable Principal principal,
			@Nullable InetSocketAddress remoteAddress) {
		URI uri = URI.create("ws://localhost/ws?session=" + counter.incrementAndGet());
		ConnectionListener listener = hub.handshake(new HandshakeRequest(uri, Map.of(), principal, remoteAddress))
			.open(connection);
		Session session = hub.sessions()
			.stream()
			.filter((candidate) -> candidate.uri().equals(uri))
			.findFirst()
			.orElseThrow();
		return new Opened(hub, session, connection, listener);
	}

	/**
	 * An open session of a hub, with its connection and the listener its transport
	 * reports to.
	 */
	record Opened(Hub hub, Session session, TestConnection connection, ConnectionListener listener) {

		String id() {
			return this.session.id();
		}

		/**
		 * Return how many messages wait in the session's outbound buffer.
		 */
		int queued() {
			SessionInfo info = this.hub.sessionInfo(id());
			return (info != null) ? info.queuedMessages() : 0;
		}

		/**
		 * Report a pong from the peer, which ends the session's silence.
		 */
		void pong() {
			this.listener.onPong(ByteBuffer.allocate(0));
		}

	}

}
