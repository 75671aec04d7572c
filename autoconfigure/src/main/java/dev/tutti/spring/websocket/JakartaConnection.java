package dev.tutti.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.tutti.transport.Connection;
import dev.tutti.transport.SendCallback;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * A batching {@link Connection} over a Jakarta WebSocket session: every message leaves as
 * one frame, and the frames of one drain leave together.
 * <p>
 * On Tomcat (see {@link TomcatFrames}) a send only makes the frame's header and keeps it
 * with the payload, which for a broadcast is the hub's one copy of the message (text
 * encoded to UTF-8 once for every recipient); {@link #flush} writes the drain's frames in
 * gathering writes of at most {@value Frames#WRITE_CHUNK} bytes, and a send writes out
 * what it holds once that much has collected. Nothing is copied per recipient and no
 * frame is fragmented, whatever its size.
 * <p>
 * Elsewhere, or when Tomcat's frame writer cannot be reached, sends go through the
 * standard basic remote endpoint. A message whose frame fits the container's frame buffer
 * is sent with the container's batching on, so the frames of a drain's small messages
 * collect in that buffer and leave in one write when the hub flushes; a larger one is
 * sent with batching off (which first writes out what the buffer holds), written directly
 * from its bytes as one frame. Batching is on only while the buffer holds frames. On this
 * path the container encodes text per recipient and, on Tomcat, fragments a text larger
 * than its frame buffer.
 * <p>
 * The hub calls the sending methods from its writer threads only, one at a time; each
 * blocks for at most the write timeout (on the standard path the container's blocking
 * send timeout, set from it), after which the write fails and the hub closes the session.
 */
final class JakartaConnection implements Connection {

	/** Tomcat's per-session limit on blocking sends. */
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** The longest header of an unmasked frame: 2 bytes, and 8 of extended length. */
	private static final int MAX_HEADER = 10;

	/** Tomcat's frame buffer size, unless set as a system property. */
	private static final int TOMCAT_DEFAULT_FRAME_BUFFER_SIZE = 8 * 1024;

	private final jakarta.websocket.Session nativeSession;

	private final Supplier<@Nullable InetSocketAddress> localAddress;

	private final RemoteEndpoint.Basic remote;

	/** Tomcat's frame writer, or {@code null} on the standard path. */
	private final @Nullable TomcatFrames frames;

	/** The endpoint {@link #frames} writes to, or {@code null} on the standard path. */
	private final @Nullable Object endpoint;

	private final long writeTimeoutMillis;

	/** The frames not yet written, on Tomcat's frame writer. */
	private final FrameBatch pending = new FrameBatch();

	/** Whether a write through Tomcat's frame writer failed, perhaps inside a frame. */
	private volatile boolean writeFailed;

	/**
	 * Whether a write through Tomcat's frame writer is in progress: a close then cannot
	 * wait for the client's close frame, since the write may be stalled for good.
	 */
	private volatile boolean writing;

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

	JakartaConnection(jakarta.websocket.Session nativeSession, Supplier<@Nullable InetSocketAddress> localAddress,
			Duration writeTimeout, @Nullable TomcatFrames frames, FrameBufferNotice notice) {
		this.localAddress = localAddress;
		this.nativeSession = nativeSession;
		this.remote = nativeSession.getBasicRemote();
		this.writeTimeoutMillis = writeTimeout.toMillis();
		nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, this.writeTimeoutMillis);
		this.endpoint = (frames != null) ? frames.endpointOf(this.remote) : null;
		this.frames = (this.endpoint != null) ? frames : null;
		this.batchLimit = standardFrameBufferSize() - MAX_HEADER;
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
		if (this.endpoint == null) {
			sendText(text, callback);
			return;
		}
		queue(Frames.TEXT, utf8, callback);
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		// The container encodes text in buffer-sized chunks, one frame each, so every
		// chunk goes through the buffer (at most one nested write per chunk).
		if (text.length() > this.noticeLimit) {
			this.notice.note(text.length(), "characters", this.noticeLimit);
		}
		write(true, () -> this.remote.sendText(text), callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		if (this.endpoint != null) {
			queue(Frames.BINARY, data, callback);
			return;
		}
		write(data.remaining() <= this.batchLimit, () -> this.remote.sendBinary(data), callback);
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		FrameBatch.complete(callback, () -> {
			if (this.endpoint != null) {
				this.pending.add(Frames.PING, data);
				writePending();
			}
			else {
				startBatch();
				this.remote.sendPing(data);
				endBatch();
			}
		});
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
		FrameBatch.complete(callback, (this.endpoint != null) ? this::writePending : this::endBatch);
	}

	@Override
	public void close(int code, String reason) {
		CloseReason closeReason = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
		try {
			TomcatFrames frames = this.frames;
			// A write that failed or is still stalled (the hub closes for a write timeout
			// before the write itself times out) leaves no way to finish the handshake
			if (frames != null && (this.writeFailed || this.writing)) {
				frames.closeAfterFailedWrite(this.nativeSession, closeReason);
			}
			else {
				this.nativeSession.close(closeReason);
			}
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
	 * Keep a frame for Tomcat's frame writer, and write out what is kept once it is
	 * enough for a write of its own.
	 */
	private void queue(int opCode, ByteBuffer payload, SendCallback callback) {
		FrameBatch.complete(callback, () -> {
			this.pending.add(opCode, payload);
			if (this.pending.isFull()) {
				writePending();
			}
		});
	}

	/**
	 * Write the kept frames through Tomcat's frame writer.
	 */
	private void writePending() throws IOException {
		TomcatFrames frames = this.frames;
		Object endpoint = this.endpoint;
		List<ByteBuffer> pending = this.pending.take();
		if (pending == null || frames == null || endpoint == null) {
			return;
		}
		this.writing = true;
		try {
			frames.write(endpoint, pending, this.writeTimeoutMillis);
		}
		catch (IOException | RuntimeException | Error ex) {
			this.writeFailed = true;
			throw ex;
		}
		finally {
			this.writing = false;
		}
	}

	/**
	 * Send one frame on the standard path: a small one into the container's buffer, any
	 * other after writing out what the buffer holds, directly.
	 */
	private void write(boolean small, FrameBatch.Send write, SendCallback callback) {
		FrameBatch.complete(callback, () -> {
			if (small) {
				startBatch();
			}
			else {
				endBatch();
			}
			write.run();
		});
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

}
