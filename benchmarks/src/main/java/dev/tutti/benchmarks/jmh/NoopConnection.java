package dev.tutti.benchmarks.jmh;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;

import dev.tutti.HandshakeRequest;
import dev.tutti.Hub;
import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link Connection} whose sends complete at once on the calling thread and
 * write nothing, so a benchmark measures the hub alone. Thread-safe.
 */
public final class NoopConnection implements Connection {

	private static final URI ENDPOINT = URI.create("/ws");

	@Override
	public void sendText(String text, SendCallback callback) {
		callback.completed(null);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		callback.completed(null);
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		callback.completed(null);
	}

	@Override
	public void close(int code, String reason) {
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return null;
	}

	/**
	 * Connect a new session to a hub through this kind of connection, as a transport
	 * does: handshake, then open.
	 * @param hub the hub
	 * @return the listener of the new session, which is also the session
	 */
	static ConnectionListener connect(Hub hub) {
		HandshakeRequest request = new HandshakeRequest(ENDPOINT, Map.of(), null, null);
		return hub.handshake(request).open(new NoopConnection());
	}

}
