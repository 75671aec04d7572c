package dev.tutti.benchmarks.server;

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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a plain {@link Socket} that writes every frame itself, valid or
 * not, as a fuzzing client does: any FIN and RSV bits, any opcode, control frames of any
 * length, fragments of any size, and bytes that are not a frame at all. Speaks the
 * opening handshake, masks what it sends and reads the server's frames back with timeouts
 * (RFC 6455).
 * <p>
 * Not thread-safe.
 */
final class FrameClient implements Closeable {

	static final int CONTINUATION = 0x0;

	static final int TEXT = 0x1;

	static final int BINARY = 0x2;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	static final int PONG = 0xA;

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private FrameClient(Socket socket, InputStream in) throws IOException {
		this.socket = socket;
		this.in = in;
		this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
	}

	/**
	 * Open a connection and complete the opening handshake.
	 * @param port the server port on localhost
	 * @param path the request target, such as {@code /echo}
	 * @return the connected client
	 * @throws IOException if the server refuses the upgrade or answers it wrongly
	 */
	static FrameClient connect(int port, String path) throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.setSoTimeout(10_000);
		socket.connect(new InetSocketAddress("localhost", port), 10_000);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		String request = "GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
		String head = readHead(in);
		String expectedAccept = "sec-websocket-accept: " + accept(key).toLowerCase();
		if (!head.startsWith("HTTP/1.1 101") || !head.toLowerCase().contains(expectedAccept)) {
			socket.close();
			throw new IOException("Upgrade refused: " + head);
		}
		return new FrameClient(socket, in);
	}

	// Sending

	/**
	 * Send one masked frame and flush it.
	 * @param fin whether the frame ends its message
	 * @param rsv the three reserved bits, 0 to 7
	 * @param opcode the opcode, 0 to 15
	 * @param payload the unmasked payload, of any length
	 */
	FrameClient frame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
		writeFrame(fin, rsv, opcode, payload, 0, payload.length);
		this.out.flush();
		return this;
	}

	/**
	 * Write one masked frame without flushing it, so that several frames leave together.
	 * @see #flush()
	 */
	FrameClient buffer(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
		writeFrame(fin, rsv, opcode, payload, 0, payload.length);
		return this;
	}

	FrameClient flush() throws IOException {
		this.out.flush();
		return this;
	}

	FrameClient frame(boolean fin, int opcode, byte[] payload) throws IOException {
		return frame(fin, 0, opcode, payload);
	}

	/**
	 * Send a message as fragments of the given size (the first frame with the opcode, the
	 * others continuations), in one flush.
	 * @param opcode {@link #TEXT} or {@link #BINARY}
	 * @param payload the message
	 * @param fragmentSize the largest fragment, at least 1
	 */
	FrameClient message(int opcode, byte[] payload, int fragmentSize) throws IOException {
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

	FrameClient text(String text) throws IOException {
		return frame(true, TEXT, utf8(text));
	}

	FrameClient ping(byte[] payload) throws IOException {
		return frame(true, PING, payload);
	}

	/**
	 * Send a close frame with a code and a reason.
	 */
	FrameClient close(int code, String reason) throws IOException {
		return close(code, utf8(reason));
	}

	FrameClient close(int code, byte[] reason) throws IOException {
		ByteBuffer payload = ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason);
		return frame(true, CLOSE, payload.array());
	}

	// Receiving

	/**
	 * Read the next frame, waiting at most the given time for it.
	 * @throws SocketTimeoutException if no frame arrived in time
	 * @throws EOFException if the server ended the connection
	 */
	Frame next(Duration timeout) throws IOException {
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
	 * Read a whole data message, reassembling its fragments, and collect the control
	 * frames that arrive before or among them.
	 * @param timeout how long to wait for each frame
	 * @param controls where to add the control frames met on the way
	 * @return the message, or the close frame if one arrived first
	 */
	Frame nextMessage(Duration timeout, List<Frame> controls) throws IOException {
		ByteArrayOutputStream message = null;
		int opcode = 0;
		while (true) {
			Frame frame = next(timeout);
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

	Frame nextMessage(Duration timeout) throws IOException {
		List<Frame> controls = new ArrayList<>();
		Frame message = nextMessage(timeout, controls);
		if (!controls.isEmpty()) {
			throw new IOException("Unexpected control frames " + controls);
		}
		return message;
	}

	/**
	 * Read the frames that arrive until the server ends the connection.
	 * @param timeout how long to wait for each frame
	 * @return the frames, whole messages reassembled, the last being the close frame if
	 * the server sent one
	 */
	List<Frame> untilEnd(Duration timeout) throws IOException {
		List<Frame> frames = new ArrayList<>();
		try {
			while (true) {
				frames.add(nextMessage(timeout, frames));
			}
		}
		catch (EOFException | SocketException ex) {
			return frames;
		}
	}

	/**
	 * Whether the server ended the connection: the next read finds the end of the stream
	 * (or a reset) within the timeout, rather than data.
	 */
	boolean ended(Duration timeout) throws IOException {
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

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	static byte[] utf8(String text) {
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

	private static String readHead(InputStream in) throws IOException {
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

	private static String accept(String key) {
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
	record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

		boolean isControl() {
			return this.opcode >= CLOSE;
		}

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * Return the close code of a close frame, 1005 if it has none.
		 */
		int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

		String closeReason() {
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
