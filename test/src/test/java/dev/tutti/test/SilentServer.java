package dev.tutti.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that misbehaves on purpose, over a plain {@link ServerSocket}: it either never
 * answers the opening handshake, or accepts it and then never sends anything, not even an
 * answer to a close frame. Reads and discards whatever its clients send.
 */
final class SilentServer implements AutoCloseable {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket serverSocket;

	private final boolean upgrade;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private SilentServer(boolean upgrade) throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.upgrade = upgrade;
		Thread acceptor = new Thread(this::accept, "silent-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a server that reads handshakes and never answers them.
	 * @return the server
	 */
	static SilentServer neverAnswering() throws IOException {
		return new SilentServer(false);
	}

	/**
	 * Start a server that accepts handshakes, then stays silent.
	 * @return the server
	 */
	static SilentServer upgradingThenSilent() throws IOException {
		return new SilentServer(true);
	}

	URI uri() {
		return URI.create("ws://localhost:" + this.serverSocket.getLocalPort() + "/silent");
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.sockets.add(socket);
				Thread reader = new Thread(() -> serve(socket), "silent-server-connection");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				// Closed: stop accepting
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			String head = readHead(in);
			if (this.upgrade) {
				String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Accept: " + accept(key(head)) + "\r\n\r\n";
				socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
			}
			in.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// The client or the server ended the connection
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed during the handshake");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static String key(String head) throws IOException {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		throw new IOException("No Sec-WebSocket-Key in " + head);
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

}
