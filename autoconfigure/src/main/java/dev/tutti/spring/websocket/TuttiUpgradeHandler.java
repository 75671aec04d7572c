package dev.tutti.spring.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.SendCallback;
import dev.tutti.transport.Upgrade;
import jakarta.servlet.http.WebConnection;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * Tutti's own WebSocket protocol engine for one connection on Tomcat, created by
 * {@link TuttiWebSocketServlet} through the servlet request's HTTP upgrade: it reads the
 * client's frames straight from Tomcat's socket into a buffer of the reading thread
 * ({@link FrameReader}), reporting them to the hub on that thread, and writes the hub's
 * frames to it in gathering writes, without Tomcat's WebSocket session and its
 * per-connection buffers. Not for applications to use: it is public only because Tomcat
 * creates it.
 * <p>
 * A batching {@link Connection}: a send keeps the frame's header with its payload, for a
 * broadcast the hub's one copy of the message, and {@link #flush} writes what a drain
 * kept. Writes from the hub's writer thread and the replies the reading thread sends
 * (pongs, close frames) are serialised, whole frames at a time, each waiting at most the
 * write timeout. A close frame the hub sends is followed by the client's, after which the
 * connection ends; a client that does not answer within the write timeout has its
 * connection closed (checked every second).
 */
public final class TuttiUpgradeHandler implements InternalHttpUpgradeHandler, Connection, FrameReader.Sink {

	private static final int OPEN = 0;

	/** The hub sent a close frame; waiting for the client's. */
	private static final int CLOSE_SENT = 1;

	private static final int CLOSED = 2;

	private static final VarHandle STATE;

	private static final VarHandle REPORTED;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(TuttiUpgradeHandler.class, "state", int.class);
			REPORTED = lookup.findVarHandle(TuttiUpgradeHandler.class, "reported", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The buffer each reading thread reads into; nothing of it outlives a read. */
	private static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal
		.withInitial(() -> ByteBuffer.allocate(16 * 1024));

	private final ClassLoader applicationClassLoader;

	private final FrameReader reader = new FrameReader();

	private @Nullable Upgrade upgrade;

	private long writeTimeoutMillis;

	private @Nullable String localHost;

	private int localPort;

	private @Nullable SocketWrapperBase<?> socket;

	/** Writes to {@link #socket}; set when the connection opens. */
	private @Nullable SocketFrameWriter writer;

	private volatile @Nullable ConnectionListener listener;

	/** The frames not yet written. Writer thread only. */
	private final FrameBatch pending = new FrameBatch();

	/**
	 * {@link #OPEN} (as initialised: no store of it needed), {@link #CLOSE_SENT} or
	 * {@link #CLOSED}; transitions through {@link #STATE}.
	 */
	private volatile int state;

	/** Whether the close was reported to the hub; set once, through {@link #REPORTED}. */
	private volatile boolean reported;

	/** When the connection ends if the client has not answered the close frame. */
	private volatile long closeDeadline;

	/**
	 * Create a handler; Tomcat calls this from the upgrading request's thread.
	 */
	public TuttiUpgradeHandler() {
		this.applicationClassLoader = Thread.currentThread().getContextClassLoader();
	}

	/**
	 * Give the handler the session the handshake registered, before the upgrade
	 * completes.
	 */
	void prepare(Upgrade upgrade, Duration writeTimeout, @Nullable String localHost, int localPort) {
		this.upgrade = upgrade;
		this.writeTimeoutMillis = writeTimeout.toMillis();
		this.localHost = localHost;
		this.localPort = localPort;
	}

	@Override
	public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
		this.socket = wrapper;
	}

	/**
	 * Open the hub's session: the 101 response has been written.
	 */
	@Override
	public void init(WebConnection connection) {
		Upgrade upgrade = this.upgrade;
		if (upgrade == null) {
			throw new IllegalStateException("The upgrade handler was not prepared by TuttiWebSocketServlet");
		}
		this.upgrade = null;
		SocketWrapperBase<?> socket = this.socket;
		if (socket == null) {
			throw new IllegalStateException("Tomcat gave the upgrade handler no socket");
		}
		this.writer = new SocketFrameWriter(socket, this.writeTimeoutMillis);
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(this.applicationClassLoader);
		try {
			this.listener = upgrade.open(this);
		}
		catch (RuntimeException ex) {
			// Given up already (its upgrade timed out): the hub no longer knows the
			// session
			this.state = CLOSED;
			writeClose(1011, "Upgrade given up");
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	@Override
	public SocketState upgradeDispatch(SocketEvent event) {
		switch (event) {
			case OPEN_READ -> {
				return read();
			}
			case OPEN_WRITE -> {
				// Writes block until they complete; nothing waits for this event
				return (this.state == CLOSED) ? SocketState.CLOSED : SocketState.UPGRADED;
			}
			case STOP -> {
				close(1001, "Server stopping");
				return (this.state == CLOSED) ? SocketState.CLOSED : SocketState.UPGRADED;
			}
			default -> {
				// ERROR, DISCONNECT, TIMEOUT, CONNECT_FAIL
				this.state = CLOSED;
				reportClosed(1006, "");
				return SocketState.CLOSED;
			}
		}
	}

	private SocketState read() {
		SocketWrapperBase<?> socket = this.socket;
		if (socket == null || this.listener == null) {
			return SocketState.CLOSED;
		}
		ByteBuffer buffer = READ_BUFFER.get();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(this.applicationClassLoader);
		try {
			while (this.state != CLOSED) {
				buffer.clear();
				int read = socket.read(false, buffer);
				if (read < 0) {
					throw new EOFException();
				}
				if (read == 0) {
					break;
				}
				buffer.flip();
				this.reader.read(buffer, this);
			}
		}
		catch (FrameReader.ProtocolError ex) {
			fail(ex.code(), String.valueOf(ex.getMessage()));
		}
		catch (EOFException ex) {
			this.state = CLOSED;
			reportClosed(1006, "");
		}
		catch (IOException ex) {
			this.state = CLOSED;
			ConnectionListener listener = this.listener;
			if (listener != null) {
				listener.onError(ex);
			}
			reportClosed(1006, "");
		}
		finally {
			thread.setContextClassLoader(previous);
		}
		return (this.state == CLOSED) ? SocketState.CLOSED : SocketState.UPGRADED;
	}

	/**
	 * Fail the connection for a protocol error: send a close frame with its code and end
	 * the connection.
	 */
	private void fail(int code, String reason) {
		if (transition(OPEN, CLOSED)) {
			writeClose(code, reason);
			reportClosed(code, reason);
		}
		this.state = CLOSED;
	}

	@Override
	public void text(String part, boolean last) {
		if (this.state == OPEN) {
			listener().onText(part, last);
		}
	}

	@Override
	public void binary(ByteBuffer part, boolean last) {
		if (this.state == OPEN) {
			listener().onBinary(part, last);
		}
	}

	@Override
	public void ping(ByteBuffer payload) {
		if (this.state == OPEN) {
			try {
				write(List.of(Frames.control(Frames.PONG, payload)));
			}
			catch (IOException ex) {
				// The hub finds out on its next write or ping
			}
		}
	}

	@Override
	public void pong(ByteBuffer payload) {
		if (this.state == OPEN) {
			listener().onPong(payload);
		}
	}

	/**
	 * Answer the client's close frame with the same code, without the reason (RFC 6455
	 * asks for the code only), or end the connection if it answers the hub's.
	 */
	@Override
	public void closeFrame(int code, String reason) {
		if (transition(OPEN, CLOSED)) {
			writeClose(code, "");
			reportClosed(code, reason);
		}
		this.state = CLOSED;
	}

	private ConnectionListener listener() {
		ConnectionListener listener = this.listener;
		if (listener == null) {
			throw new IllegalStateException("Connection not open");
		}
		return listener;
	}

	@Override
	public void timeoutAsync(long now) {
		long deadline = this.closeDeadline;
		if (deadline != 0 && now - deadline >= 0) {
			this.closeDeadline = 0;
			closeSocket();
		}
	}

	@Override
	public void setSslSupport(SSLSupport sslSupport) {
		// WebSocket needs nothing of TLS
	}

	@Override
	public void pause() {
		// Connections end when the hubs close, before the connector stops
	}

	/**
	 * Report the close to the hub if nothing did yet: the connection is gone.
	 */
	@Override
	public void destroy() {
		Upgrade upgrade = this.upgrade;
		if (upgrade != null) {
			this.upgrade = null;
			upgrade.abandon();
		}
		this.state = CLOSED;
		reportClosed(1006, "");
	}

	// Connection

	@Override
	public boolean sendsEncodedText() {
		return true;
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		send(Frames.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
	}

	@Override
	public void sendText(String text, ByteBuffer utf8, SendCallback callback) {
		send(Frames.TEXT, utf8, callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		send(Frames.BINARY, data, callback);
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		FrameBatch.complete(callback, () -> {
			this.pending.add(Frames.PING, data);
			writePending();
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
		FrameBatch.complete(callback, this::writePending);
	}

	/**
	 * Send the hub's close frame, then wait for the client's for at most the write
	 * timeout; end the connection at once if a write failed.
	 */
	@Override
	public void close(int code, String reason) {
		if (!transition(OPEN, CLOSE_SENT)) {
			return;
		}
		if (writeClose(code, reason)) {
			this.closeDeadline = System.currentTimeMillis() + this.writeTimeoutMillis;
		}
		reportClosed(code, reason);
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return (this.localHost != null) ? new InetSocketAddress(this.localHost, this.localPort) : null;
	}

	private void send(int opCode, ByteBuffer payload, SendCallback callback) {
		FrameBatch.complete(callback, () -> {
			if (this.state != OPEN) {
				throw new IOException("The WebSocket connection is closed");
			}
			this.pending.add(opCode, payload);
			if (this.pending.isFull()) {
				writePending();
			}
		});
	}

	private void writePending() throws IOException {
		List<ByteBuffer> pending = this.pending.take();
		if (pending != null) {
			write(pending);
		}
	}

	/**
	 * Send a close frame, the last frame of the connection, unless a write failed before
	 * (it may have ended inside a frame); end the connection if none can be sent.
	 * @return whether the close frame was written
	 */
	private boolean writeClose(int code, String reason) {
		SocketFrameWriter writer = this.writer;
		if (writer != null && !writer.hasFailed()) {
			try {
				writer.writeClose(Frames.close(code, reason));
				return true;
			}
			catch (IOException ex) {
				// Gone already
			}
		}
		closeSocket();
		return false;
	}

	private boolean transition(int from, int to) {
		return STATE.compareAndSet(this, from, to);
	}

	private void write(List<ByteBuffer> buffers) throws IOException {
		SocketFrameWriter writer = this.writer;
		if (writer == null) {
			throw new IOException("The WebSocket connection is not open");
		}
		writer.write(buffers);
	}

	private void closeSocket() {
		SocketFrameWriter writer = this.writer;
		if (writer != null) {
			writer.closeSocket();
		}
	}

	private void reportClosed(int code, String reason) {
		if (!REPORTED.compareAndSet(this, false, true)) {
			return;
		}
		ConnectionListener listener = this.listener;
		if (listener != null) {
			listener.onClosed(code, reason);
		}
	}

}
