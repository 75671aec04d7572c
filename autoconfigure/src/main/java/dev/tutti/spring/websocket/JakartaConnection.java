package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * A batching {@link Connection} over a Jakarta WebSocket session: every message leaves as
 * one frame, the small ones coalesced.
 * <p>
 * A message whose frame fits the container's frame buffer is sent with the container's
 * batching on, so the frames of a drain's small messages collect in that buffer and leave
 * in one write when the hub flushes at the end of the drain. A larger message is sent
 * with batching off (which first writes out what the buffer holds): one frame, written
 * directly from the message's bytes in one gathering write of header and payload, with no
 * copy into the frame buffer and no write per buffer-sized chunk. Batching is on only
 * while the buffer holds frames, so nothing is left in it between drains.
 * <p>
 * On Tomcat (see {@link TomcatFrames}) text goes out from the UTF-8 bytes the hub encoded
 * once for every recipient, as one frame however large. Elsewhere, or when Tomcat's frame
 * writer cannot be reached, text goes through the standard
 * {@link RemoteEndpoint.Basic#sendText(String)}, which encodes per recipient and, on
 * Tomcat, fragments a text larger than the frame buffer; binary messages still leave as
 * one frame.
 * <p>
 * The hub calls the sending methods from its writer threads only; each blocks for at most
 * the write timeout (the container's blocking send timeout, set from it), after which the
 * container closes the connection.
 */
final class JakartaConnection implements Connection {

	/** Tomcat's per-session limit on blocking sends. */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** Tomcat's frame buffer size, unless set as a system property. */
	private static final int TOMCAT_DEFAULT_FRAME_BUFFER_SIZE = 8 * 1024;

	private final WebSocketSession session;

	private final jakarta.websocket.Session nativeSession;

	private final RemoteEndpoint.Basic remote;

	/** Tomcat's frame writer, or {@code null} on the standard path. */
	private final @Nullable TomcatFrames frames;

	/** The endpoint {@link #frames} writes to, or {@code null} on the standard path. */
	private final @Nullable Object endpoint;

	/** The largest payload whose frame fits the container's frame buffer. */
	private final int batchLimit;

	private final FrameBufferNotice notice;

	/**
	 * Texts longer than this many characters are worth the notice on the standard path.
	 */
	private final int noticeLimit;

	/**
	 * Whether the container's batching is on, which it is while its buffer holds frames.
	 */
	private boolean batching;

	JakartaConnection(WebSocketSession session, jakarta.websocket.Session nativeSession, Duration writeTimeout,
			@Nullable TomcatFrames frames, FrameBufferNotice notice) {
		this.session = session;
		this.nativeSession = nativeSession;
		this.remote = nativeSession.getBasicRemote();
		nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, writeTimeout.toMillis());
		this.endpoint = (frames != null) ? frames.endpointOf(this.remote) : null;
		this.frames = (this.endpoint != null) ? frames : null;
		int frameBufferSize = (this.frames != null) ? this.frames.frameBufferSize() : standardFrameBufferSize();
		this.batchLimit = frameBufferSize - TomcatFrames.MAX_HEADER;
		this.notice = notice;
		this.noticeLimit = FrameBufferNotice.limit();
	}

	/**
	 * Return whether text is sent from the hub's UTF-8 encoding, which it is on Tomcat's
	 * frame writer.
	 */
	@Override
	public boolean sendsEncodedText() {
		return this.endpoint != null;
	}

	@Override
	public void sendText(String text, ByteBuffer utf8, SendCallback callback) {
		TomcatFrames frames = this.frames;
		Object endpoint = this.endpoint;
		if (frames == null || endpoint == null) {
			sendText(text, callback);
			return;
		}
		boolean small = utf8.remaining() <= this.batchLimit;
		write(small, () -> frames.send(endpoint, TomcatFrames.TEXT, utf8), callback);
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		// A character takes at least one byte; the container fragments a longer text and
		// writes it in buffer-sized chunks, so it may as well go through the buffer.
		if (text.length() > this.noticeLimit) {
			this.notice.note(text.length(), "characters", this.noticeLimit);
		}
		write(true, () -> this.remote.sendText(text), callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		boolean small = data.remaining() <= this.batchLimit;
		TomcatFrames frames = this.frames;
		Object endpoint = this.endpoint;
		if (frames != null && endpoint != null) {
			write(small, () -> frames.send(endpoint, TomcatFrames.BINARY, data), callback);
		}
		else {
			write(small, () -> this.remote.sendBinary(data), callback);
		}
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		Throwable failure = null;
		try {
			startBatch();
			this.remote.sendPing(data);
			endBatch();
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		callback.completed(failure);
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
		Throwable failure = null;
		try {
			endBatch();
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		callback.completed(failure);
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
		return this.session.getLocalAddress();
	}

	/**
	 * Send one frame: a small one into the container's buffer, any other after writing
	 * out what the buffer holds, directly.
	 */
	private void write(boolean small, Write write, SendCallback callback) {
		Throwable failure = null;
		try {
			if (small) {
				startBatch();
			}
			else {
				endBatch();
			}
			write.run();
		}
		catch (IOException | RuntimeException ex) {
			failure = ex;
		}
		callback.completed(failure);
	}

	private void startBatch() throws IOException {
		if (!this.batching) {
			this.remote.setBatchingAllowed(true);
			this.batching = this.remote.getBatchingAllowed();
		}
	}

	/**
	 * Write out what the container's batching buffered, and turn batching off.
	 */
	private void endBatch() throws IOException {
		if (this.batching) {
			this.batching = false;
			this.remote.setBatchingAllowed(false);
		}
	}

	/**
	 * Return the size of the frame buffer of a container whose frame writer Tutti does
	 * not use: Tomcat's, as far as its system property tells, or Tomcat's default.
	 */
	private static int standardFrameBufferSize() {
		int limit = FrameBufferNotice.limit();
		return (limit != Integer.MAX_VALUE) ? limit : TOMCAT_DEFAULT_FRAME_BUFFER_SIZE;
	}

	@FunctionalInterface
	private interface Write {

		void run() throws IOException;

	}

}
