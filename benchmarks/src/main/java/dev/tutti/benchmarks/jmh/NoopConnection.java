package dev.tutti.benchmarks.jmh;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link Connection} whose sends complete at once on the calling thread and
 * write nothing, so a benchmark measures the hub alone. Thread-safe.
 */
public final class NoopConnection implements Connection {

	private static final URI URI = java.net.URI.create("/ws");

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
	public @Nullable InetSocketAddress remoteAddress() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return null;
	}

	@Override
	public @Nullable Principal principal() {
		return null;
	}

	@Override
	public URI uri() {
		return URI;
	}

	@Override
	public Map<String, List<String>> headers() {
		return Map.of();
	}

	@Override
	public Map<String, Object> handshakeAttributes() {
		return new HashMap<>();
	}

}
