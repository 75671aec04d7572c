package dev.tutti.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that misbehaves on purpose, over a plain {@link ServerSocket}: it either never
 * answers the opening handshake, or accepts it and then never sends anything, not even an
 * answer to a close frame. Reads and discards whatever its clients send.
 */
final class SilentServer implements AutoCloseable {

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
			String head = RawWebSocketClient.readHead(in);
			if (this.upgrade) {
				String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Accept: " + RawWebSocketClient.accept(key(head)) + "\r\n\r\n";
				socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
			}
			in.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// The client or the server ended the connection
		}
	}

	private static String key(String head) throws IOException {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		throw new IOException("No Sec-WebSocket-Key in " + head);
	}

}
