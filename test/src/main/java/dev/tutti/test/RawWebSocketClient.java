package dev.tutti.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a plain {@link Socket} that writes and reads every frame itself
 * (RFC 6455), for tests that need a peer {@link TuttiTestClient} will not be: one that
 * never answers pings, stops reading, drops the TCP connection, fragments messages, sets
 * reserved bits or sends invalid frames. It speaks the opening handshake, masks what it
 * sends and checks nothing the server sends beyond the handshake and unmasked frames.
 * <p>
 * Sends are thread-safe; reads are not (one reading thread).
 */
public final class RawWebSocketClient implements Closeable {

	/** The opcode of a continuation frame. */
	public static final int CONTINUATION = 0x0;

	/** The opcode of a text frame. */
	public static final int TEXT = 0x1;

	/** The opcode of a binary frame. */
	public static final int BINARY = 0x2;

	/** The opcode of a close frame. */
	public static final int CLOSE = 0x8;

	/** The opcode of a ping frame. */
	public static final int PING = 0x9;

	/** The opcode of a pong frame. */
	public static final int PONG = 0xA;

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final int status;

	private final Map<String, String> responseHeaders;

	private RawWebSocketClient(Socket socket, InputStream in, int status, Map<String, String> responseHeaders)
			throws IOException {
		this.socket = socket;
		this.in = in;
		this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
		this.status = status;
		this.responseHeaders = responseHeaders;
	}

	/**
	 * Open a connection to localhost and send the opening handshake.
	 * @param port the server port
	 * @param target the request target, such as {@code /ws?client=1}
	 * @return the client; check {@link #status()} to see whether the upgrade succeeded
	 * @throws IOException if the connection fails, or the server accepts the upgrade with
	 * a wrong {@code Sec-WebSocket-Accept}
	 */
	public static RawWebSocketClient connect(int port, String target) throws IOException {
		return connect(port, target, Map.of(), 0);
	}

	/**
	 * Open a connection to localhost and send the opening handshake.
	 * @param port the server port
	 * @param target the request target, such as {@code /ws?client=1}
	 * @param headers extra request headers
	 * @param receiveBufferSize the socket receive buffer size, or 0 for the system's
	 * @return the client; check {@link #status()} to see whether the upgrade succeeded
	 * @throws IOException if the connection fails, or the server accepts the upgrade with
	 * a wrong {@code Sec-WebSocket-Accept}
	 */
	public static RawWebSocketClient connect(int port, String target, Map<String, String> headers,
			int receiveBufferSize) throws IOException {
		Socket socket = new Socket();
		if (receiveBufferSize > 0) {
			socket.setReceiveBufferSize(receiveBufferSize);
		}
		socket.setTcpNoDelay(true);
		socket.setSoTimeout(10_000);
		socket.connect(new InetSocketAddress("localhost", port), 10_000);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		StringBuilder request = new StringBuilder();
		request.append("GET ").append(target).append(" HTTP/1.1\r\n");
		request.append("Host: localhost:").append(port).append("\r\n");
		request.append("Upgrade: websocket\r\n");
		request.append("Connection: Upgrade\r\n");
		request.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
		request.append("Sec-WebSocket-Version: 13\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		request.append("\r\n");
		socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
		String[] response = readHead(in).split("\r\n");
		int status = Integer.parseInt(response[0].split(" ")[1]);
		Map<String, String> responseHeaders = new LinkedHashMap<>();
		for (int i = 1; i < response.length; i++) {
			int colon = response[i].indexOf(':');
			responseHeaders.put(response[i].substring(0, colon).trim().toLowerCase(),
					response[i].substring(colon + 1).trim());
		}
		if (status == 101 && !accept(key).equals(responseHeaders.get("sec-websocket-accept"))) {
			socket.close();
			throw new IOException("Invalid Sec-WebSocket-Accept in " + responseHeaders);
		}
		return new RawWebSocketClient(socket, in, status, responseHeaders);
	}

	/**
	 * Return the HTTP status of the handshake response.
	 * @return 101 if the connection was upgraded
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Return the headers of the handshake response.
	 * @return the headers, names in lower case
	 */
	public Map<String, String> responseHeaders() {
		return this.responseHeaders;
	}

	/**
	 * Read the body of a refused handshake's response, as many bytes as its
	 * {@code Content-Length} says.
	 * @return the body as UTF-8 text
	 * @throws IOException if the body cannot be read
	 */
	public String readResponseBody() throws IOException {
		String length = this.responseHeaders.get("content-length");
		byte[] body = this.in.readNBytes((length != null) ? Integer.parseInt(length) : 0);
		return new String(body, StandardCharsets.UTF_8);
	}

	/**
	 * Return the local port of the connection.
	 * @return the port
	 */
	public int localPort() {
		return this.socket.getLocalPort();
	}

	// Sending

	/**
	 * Send one masked frame without reserved bits.
	 * @param fin whether the frame ends its message
	 * @param opcode the opcode, 0 to 15
	 * @param payload the unmasked payload, of any length
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		return sendFrame(fin, 0, opcode, payload);
	}

	/**
	 * Send one masked frame.
	 * @param fin whether the frame ends its message
	 * @param rsv the three reserved bits, 0 to 7
	 * @param opcode the opcode, 0 to 15
	 * @param payload the unmasked payload, of any length
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public synchronized RawWebSocketClient sendFrame(boolean fin, int rsv, int opcode, byte[] payload)
			throws IOException {
		writeFrame(fin, rsv, opcode, payload, 0, payload.length);
		this.out.flush();
		return this;
	}

	/**
	 * Write one masked frame without sending it yet, so that several frames leave
	 * together on {@link #flush()}.
	 * @param fin whether the frame ends its message
	 * @param rsv the three reserved bits, 0 to 7
	 * @param opcode the opcode, 0 to 15
	 * @param payload the unmasked payload, of any length
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public synchronized RawWebSocketClient bufferFrame(boolean fin, int rsv, int opcode, byte[] payload)
			throws IOException {
		writeFrame(fin, rsv, opcode, payload, 0, payload.length);
		return this;
	}

	/**
	 * Send what {@link #bufferFrame} wrote.
	 * @return this client
	 * @throws IOException if the frames cannot be written
	 */
	public synchronized RawWebSocketClient flush() throws IOException {
		this.out.flush();
		return this;
	}

	/**
	 * Send a message as fragments of the given size (the first frame with the opcode, the
	 * others continuations), together.
	 * @param opcode {@link #TEXT} or {@link #BINARY}
	 * @param payload the message
	 * @param fragmentSize the largest fragment, at least 1
	 * @return this client
	 * @throws IOException if the frames cannot be written
	 */
	public synchronized RawWebSocketClient sendMessage(int opcode, byte[] payload, int fragmentSize)
			throws IOException {
		int offset = 0;
		do {
			int length = Math.min(fragmentSize, payload.length - offset);
			writeFrame(offset + length == payload.length, 0, (offset == 0) ? opcode : CONTINUATION, payload, offset,
					length);
			offset += length;
		}
		while (offset < payload.length);
		this.out.flush();
		return this;
	}

	/**
	 * Send a text message in one frame.
	 * @param text the message
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendText(String text) throws IOException {
		return sendFrame(true, TEXT, utf8(text));
	}

	/**
	 * Send a binary message in one frame.
	 * @param data the message
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendBinary(byte[] data) throws IOException {
		return sendFrame(true, BINARY, data);
	}

	/**
	 * Send a ping.
	 * @param payload its payload
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendPing(byte[] payload) throws IOException {
		return sendFrame(true, PING, payload);
	}

	/**
	 * Send a pong.
	 * @param payload its payload
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendPong(byte[] payload) throws IOException {
		return sendFrame(true, PONG, payload);
	}

	/**
	 * Send a close frame with a code and a reason.
	 * @param code the close code
	 * @param reason the reason
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendClose(int code, String reason) throws IOException {
		return sendClose(code, utf8(reason));
	}

	/**
	 * Send a close frame with a code and a reason's bytes, which need not be UTF-8.
	 * @param code the close code
	 * @param reason the reason's bytes
	 * @return this client
	 * @throws IOException if the frame cannot be written
	 */
	public RawWebSocketClient sendClose(int code, byte[] reason) throws IOException {
		ByteBuffer payload = ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason);
		return sendFrame(true, CLOSE, payload.array());
	}

	// Receiving

	/**
	 * Read the next frame of any kind, waiting at most the given time for it.
	 * @param timeout how long to wait for the frame to start
	 * @return the frame
	 * @throws SocketTimeoutException if no frame arrived in time
	 * @throws EOFException if the server ended the connection
	 * @throws IOException if the frame cannot be read
	 */
	public Frame readFrame(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		int b0 = readByte();
		int b1 = readByte();
		long length = b1 & 0x7F;
		if (length == 126) {
			length = (readByte() << 8) | readByte();
		}
		else if (length == 127) {
			length = ByteBuffer.wrap(this.in.readNBytes(8)).getLong();
		}
		if ((b1 & 0x80) != 0) {
			throw new IOException("A server must not mask its frames");
		}
		byte[] payload = this.in.readNBytes((int) length);
		if (payload.length != length) {
			throw new EOFException("Connection ended inside a frame");
		}
		return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0x0F, payload);
	}

	/**
	 * Read frames until a data or close frame arrives, answering pings with pongs and
	 * skipping pongs.
	 * @param timeout how long to wait for each frame
	 * @return the data or close frame
	 * @throws IOException if a frame cannot be read in time
	 */
	public Frame readMessageFrame(Duration timeout) throws IOException {
		while (true) {
			Frame frame = readFrame(timeout);
			if (frame.opcode() == PING) {
				sendPong(frame.payload());
			}
			else if (frame.opcode() != PONG) {
				return frame;
			}
		}
	}

	/**
	 * Read a whole data message, reassembling its fragments, and collect the control
	 * frames that arrive before or among them.
	 * @param timeout how long to wait for each frame
	 * @param controls where to add the control frames met on the way
	 * @return the message, or the close frame if one arrived first
	 * @throws IOException if a frame cannot be read in time, or the server breaks the
	 * framing rules
	 */
	public Frame readMessage(Duration timeout, List<Frame> controls) throws IOException {
		ByteArrayOutputStream message = null;
		int opcode = 0;
		while (true) {
			Frame frame = readFrame(timeout);
			if (frame.opcode() == CLOSE && message == null) {
				return frame;
			}
			if (frame.isControl()) {
				controls.add(frame);
				continue;
			}
			if (frame.rsv() != 0) {
				throw new IOException("Server frame with reserved bits " + frame.rsv());
			}
			if (message == null) {
				if (frame.opcode() != TEXT && frame.opcode() != BINARY) {
					throw new IOException("Server message starts with opcode " + frame.opcode());
				}
				if (frame.fin()) {
					return frame;
				}
				opcode = frame.opcode();
				message = new ByteArrayOutputStream();
			}
			else if (frame.opcode() != CONTINUATION) {
				throw new IOException("Server sent opcode " + frame.opcode() + " inside a fragmented message");
			}
			message.writeBytes(frame.payload());
			if (frame.fin()) {
				return new Frame(true, 0, opcode, message.toByteArray());
			}
		}
	}

	/**
	 * Read a whole data message, reassembling its fragments, with no control frame before
	 * or among them.
	 * @param timeout how long to wait for each frame
	 * @return the message, or the close frame if one arrived first
	 * @throws IOException if a frame cannot be read in time, a control frame arrives, or
	 * the server breaks the framing rules
	 */
	public Frame readMessage(Duration timeout) throws IOException {
		List<Frame> controls = new ArrayList<>();
		Frame message = readMessage(timeout, controls);
		if (!controls.isEmpty()) {
			throw new IOException("Unexpected control frames " + controls);
		}
		return message;
	}

	/**
	 * Read what arrives until the server ends the connection.
	 * @param timeout how long to wait for each frame
	 * @return the frames, whole messages reassembled, the last being the close frame if
	 * the server sent one
	 * @throws IOException if a frame cannot be read in time
	 */
	public List<Frame> readUntilEnd(Duration timeout) throws IOException {
		List<Frame> frames = new ArrayList<>();
		try {
			while (true) {
				frames.add(readMessage(timeout, frames));
			}
		}
		catch (EOFException | SocketException ex) {
			return frames;
		}
	}

	/**
	 * Return whether the server ended the connection: the next read finds the end of the
	 * stream (or a reset) within the timeout, rather than data.
	 * @param timeout how long to wait
	 * @return whether the connection ended
	 * @throws IOException if the read fails otherwise
	 */
	public boolean hasEnded(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		try {
			return this.in.read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	/**
	 * Read and discard what arrives until the server ends the connection. The bytes are
	 * not parsed: a server that gives up on a stalled write may cut a frame short.
	 * @param timeout how long to wait for the end
	 * @return whether the server ended the connection within the timeout
	 * @throws IOException if the read fails otherwise
	 */
	public boolean awaitEndOfStream(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		long deadline = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[8192];
		try {
			while (System.nanoTime() - deadline < 0) {
				if (this.in.read(buffer) < 0) {
					return true;
				}
			}
			return false;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	/**
	 * Drop the connection with a TCP reset, without a close frame.
	 * @throws IOException if the socket cannot be closed
	 */
	public void abort() throws IOException {
		if (this.socket.isClosed()) {
			return;
		}
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	/**
	 * Close the socket, without a close frame.
	 */
	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * Return the UTF-8 encoding of a text.
	 * @param text the text
	 * @return its bytes
	 */
	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private void writeFrame(boolean fin, int rsv, int opcode, byte[] payload, int offset, int length)
			throws IOException {
		this.out.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0F));
		if (length < 126) {
			this.out.write(0x80 | length);
		}
		else if (length <= 0xFFFF) {
			this.out.write(0x80 | 126);
			this.out.write(length >>> 8);
			this.out.write(length & 0xFF);
		}
		else {
			this.out.write(0x80 | 127);
			this.out.write(ByteBuffer.allocate(8).putLong(length).array());
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		this.out.write(mask);
		byte[] chunk = new byte[Math.min(length, 64 * 1024)];
		for (int done = 0; done < length; done += chunk.length) {
			int count = Math.min(chunk.length, length - done);
			for (int i = 0; i < count; i++) {
				chunk[i] = (byte) (payload[offset + done + i] ^ mask[(done + i) & 3]);
			}
			this.out.write(chunk, 0, count);
		}
	}

	private int readByte() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new EOFException("Connection ended");
		}
		return b;
	}

	/**
	 * Read an HTTP message head, up to and including the empty line.
	 */
	static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("Connection ended during the handshake");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Return the {@code Sec-WebSocket-Accept} value for a key.
	 */
	static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A frame, or a whole message, received from the server.
	 *
	 * @param fin whether the frame ends its message
	 * @param rsv the reserved bits
	 * @param opcode the opcode
	 * @param payload the payload
	 */
	public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

		/**
		 * Return whether this is a control frame (close, ping, pong).
		 * @return whether the opcode is 8 or more
		 */
		public boolean isControl() {
			return this.opcode >= CLOSE;
		}

		/**
		 * Return the payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * Return the close code of a close frame.
		 * @return the code, 1005 if it has none
		 */
		public int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

		/**
		 * Return the reason of a close frame.
		 * @return the reason, possibly empty
		 */
		public String closeReason() {
			return (this.payload.length > 2)
					? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8) : "";
		}

		@Override
		public String toString() {
			return "Frame[fin=" + this.fin + ", rsv=" + this.rsv + ", opcode=" + this.opcode + ", length="
					+ this.payload.length + "]";
		}

	}

}
