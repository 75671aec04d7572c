package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * A batching {@link Connection} over a Jakarta WebSocket session. Sends go through the
 * session's basic remote endpoint with the container's batching on, so the frames of a
 * session's queued messages collect in the container's output buffer and leave in one
 * write when the hub flushes at the end of a drain. The hub calls the sending methods
 * from its writer threads only; each blocks for at most the write timeout (the
 * container's blocking send timeout, set from it), after which the container closes the
 * connection.
 */
final class JakartaConnection implements Connection {

	/** Tomcat's per-session limit on blocking sends. */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final jakarta.websocket.Session nativeSession;

	private final Supplier<@Nullable InetSocketAddress> localAddress;

	private final RemoteEndpoint.Basic remote;

	private final boolean batching;

	private final FrameBufferNotice notice;

	/** Messages larger than this many bytes are worth the notice. */
	private final int noticeLimit;

	JakartaConnection(jakarta.websocket.Session nativeSession, Supplier<@Nullable InetSocketAddress> localAddress,
			Duration writeTimeout, FrameBufferNotice notice) {
		this.nativeSession = nativeSession;
		this.localAddress = localAddress;
		this.remote = nativeSession.getBasicRemote();
		nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, writeTimeout.toMillis());
		this.batching = enableBatching(this.remote);
		this.notice = notice;
		this.noticeLimit = FrameBufferNotice.limit();
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		// A character takes at least one byte.
		if (text.length() > this.noticeLimit) {
			this.notice.note(text.length(), "characters", this.noticeLimit);
		}
		write(() -> this.remote.sendText(text), callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		if (data.remaining() > this.noticeLimit) {
			this.notice.note(data.remaining(), "bytes", this.noticeLimit);
		}
		write(() -> this.remote.sendBinary(data), callback);
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		write(() -> {
			this.remote.sendPing(data);
			flushBatch();
		}, callback);
	}

	/**
	 * Return {@code true}: sends block, so the hub drains on its writer threads and
	 * flushes once per drain.
	 */
	@Override
	public boolean isBatching() {
		return true;
	}

	@Override
	public void flush(SendCallback callback) {
		write(this::flushBatch, callback);
	}

	@Override
	public void close(int code, String reason) {
		try {
			this.nativeSession.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
		}
		catch (IOException ex) {
			// The connection is gone; the container reports the close.
		}
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return this.localAddress.get();
	}

	/**
	 * Write out what the container's batching buffered.
	 */
	private void flushBatch() throws IOException {
		if (this.batching) {
			this.remote.flushBatch();
		}
	}

	private static void write(Write write, SendCallback callback) {
		Throwable failure = null;
		try {
			write.run();
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		callback.completed(failure);
	}

	/**
	 * Turn on the container's batching, so frames collect in its output buffer until
	 * {@link #flushBatch()}.
	 * @return whether the container batches
	 */
	private static boolean enableBatching(RemoteEndpoint.Basic remote) {
		try {
			remote.setBatchingAllowed(true);
			return remote.getBatchingAllowed();
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	@FunctionalInterface
	private interface Write {

		void run() throws IOException;

	}

}
