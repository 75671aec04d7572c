package dev.tutti.spring.websocket;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client over a plain {@link Socket} for tests that need a misbehaving peer:
 * one that never answers pings, stops reading or drops the TCP connection. Speaks the
 * opening handshake and masks the frames it sends (RFC 6455). Reads are not thread-safe;
 * sends are.
 */
final class RawClient implements Closeable {

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

	private final int status;

	private final Map<String, String> responseHeaders;

	private RawClient(Socket socket, InputStream in, int status, Map<String, String> responseHeaders)
			throws IOException {
		this.socket = socket;
		this.in = in;
		this.out = socket.getOutputStream();
		this.status = status;
		this.responseHeaders = responseHeaders;
	}

	/**
	 * Open a connection and send the opening handshake.
	 * @param port the server port on localhost
	 * @param target the request target, such as {@code /ws?client=1}
	 * @param headers extra request headers
	 * @param receiveBufferSize the socket receive buffer size, or 0 for the system's
	 * @return the client; check {@link #status()} to see whether the upgrade succeeded
	 */
	static RawClient connect(int port, String target, Map<String, String> headers, int receiveBufferSize)
			throws IOException {
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
		InputStream in = new BufferedInputStream(socket.getInputStream());
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
		return new RawClient(socket, in, status, responseHeaders);
	}

	/**
	 * Read the body of a refused handshake's response, as many bytes as its
	 * {@code Content-Length} says.
	 * @return the body as UTF-8 text
	 */
	String readResponseBody() throws IOException {
		String length = this.responseHeaders.get("content-length");
		byte[] body = this.in.readNBytes((length != null) ? Integer.parseInt(length) : 0);
		return new String(body, StandardCharsets.UTF_8);
	}

	/**
	 * Return the HTTP status of the handshake response.
	 * @return 101 if the connection was upgraded
	 */
	int status() {
		return this.status;
	}

	Map<String, String> responseHeaders() {
		return this.responseHeaders;
	}

	/**
	 * Return the client's own port, which the server sees as the remote port.
	 * @return the local port
	 */
	int localPort() {
		return this.socket.getLocalPort();
	}

	void sendText(String text) throws IOException {
		sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	void sendBinary(byte[] data) throws IOException {
		sendFrame(true, BINARY, data);
	}

	void sendPong(byte[] data) throws IOException {
		sendFrame(true, PONG, data);
	}

	void sendClose(int code, String reason) throws IOException {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text);
		sendFrame(true, CLOSE, payload.array());
	}

	/**
	 * Send one masked frame.
	 * @param fin whether the frame ends its message
	 * @param opcode the opcode
	 * @param payload the unmasked payload
	 */
	synchronized void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		else {
			frame.write(0x80 | 127);
			frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	/**
	 * Read the next frame of any kind, waiting at most the given time.
	 * @param timeout how long to wait for the frame to start
	 * @return the frame
	 * @throws java.net.SocketTimeoutException if no frame arrived in time
	 * @throws EOFException if the server closed the connection
	 */
	Frame readFrame(Duration timeout) throws IOException {
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
			throw new IOException("Server frames must not be masked");
		}
		byte[] payload = this.in.readNBytes((int) length);
		if (payload.length != length) {
			throw new EOFException("Connection closed inside a frame");
		}
		return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
	}

	/**
	 * Read frames until a data or close frame arrives, answering pings with pongs.
	 * @param timeout how long to wait for each frame
	 * @return the data or close frame
	 */
	Frame readMessageFrame(Duration timeout) throws IOException {
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
	 * Read and discard data frames until the server closes the connection, answering its
	 * close frame.
	 * @param timeout how long to wait for each frame
	 * @return the server's close frame, or {@code null} if the connection ended without
	 * one
	 */
	@Nullable Frame awaitClose(Duration timeout) throws IOException {
		try {
			while (true) {
				Frame frame = readFrame(timeout);
				if (frame.opcode() == CLOSE) {
					sendFrame(true, CLOSE,
							frame.payload().length >= 2 ? Arrays.copyOf(frame.payload(), 2) : new byte[0]);
					return frame;
				}
			}
		}
		catch (EOFException | SocketException ex) {
			return null;
		}
	}

	/**
	 * Read and discard what arrives until the server ends the connection. The bytes are
	 * not parsed: a server that gives up on a stalled write may cut a frame short.
	 * @param timeout how long to wait for the end
	 * @return whether the server ended the connection within the timeout
	 */
	boolean awaitEndOfStream(Duration timeout) throws IOException {
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
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	/**
	 * Drop the connection with a TCP reset, without a close frame.
	 */
	void abort() throws IOException {
		if (this.socket.isClosed()) {
			return;
		}
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private int readByte() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new EOFException("Connection closed");
		}
		return b;
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("Connection closed during the handshake");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		return text.substring(0, text.length() - 4);
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
	 * A frame received from the server.
	 *
	 * @param fin whether the frame ends its message
	 * @param opcode the opcode
	 * @param payload the payload
	 */
	record Frame(boolean fin, int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		int closeCode() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF) : 1005;
		}

		String closeReason() {
			return (this.payload.length > 2)
					? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8) : "";
		}

	}

}
