package dev.tutti.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * WebSocket clients of one server, driven by a single thread with one selector: opens
 * connections (a few at a time or all at once), answers pings, parses the frames the
 * server sends and hands each data message to a {@link MessageHandler}, and closes the
 * connections. Not thread-safe: every method must be called from the same thread.
 * <p>
 * Client sockets may be bound to several loopback source addresses in turn, so that more
 * connections can be open than one address has ephemeral ports.
 */
final class ClientPool implements AutoCloseable {

	private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final int MAX_FRAME_SIZE = 16 * 1024 * 1024;

	/**
	 * Connecting all at once handles ready connections after every this many connects.
	 */
	private static final int CONNECTS_PER_POLL = 64;

	private final InetSocketAddress address;

	private final String path;

	/** Headers each handshake sends besides the WebSocket ones, each ending in CRLF. */
	private String extraHeaders = "";

	private final List<InetAddress> sources;

	private final Selector selector;

	private final Random random = new Random(42);

	private final List<Client> clients = new ArrayList<>();

	private final List<Client> open = new ArrayList<>();

	private MessageHandler handler = (client, data, offset, length) -> this.unexpectedMessages++;

	private int pending;

	/**
	 * Whether an abrupt close resets the connection rather than closing it with a FIN.
	 */
	private boolean resetAbrupt;

	private int failedConnects;

	private long unexpectedMessages;

	private long closedByServer;

	private long dataFrames;

	private long dataMessages;

	/**
	 * Create a pool of clients of the given server.
	 * @param address the server's address
	 * @param path the WebSocket endpoint's path
	 * @param sources the local addresses to bind client sockets to, in turn, or none to
	 * let the system choose
	 */
	ClientPool(InetSocketAddress address, String path, List<InetAddress> sources) throws IOException {
		this.address = address;
		this.path = path;
		this.sources = List.copyOf(sources);
		this.selector = Selector.open();
	}

	/**
	 * Send the headers Chromium sends with a WebSocket handshake from a page of the
	 * server's own origin, besides the WebSocket ones, in every handshake from now on: an
	 * {@code Origin}, a user agent, the languages, compression and caching it accepts,
	 * and an offer of {@code permessage-deflate}.
	 */
	void browserHeaders() {
		String origin = "http://" + this.address.getHostString() + ":" + this.address.getPort();
		this.extraHeaders = "Pragma: no-cache\r\nCache-Control: no-cache\r\n"
				+ "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
				+ "Chrome/156.0.0.0 Safari/537.36\r\nOrigin: " + origin + "\r\n"
				+ "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-GB,en;q=0.9\r\n"
				+ "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
	}

	/**
	 * Send every data message the server sends from now on to the given handler, rather
	 * than counting it as unexpected.
	 */
	void onMessage(MessageHandler handler) {
		this.handler = handler;
	}

	/**
	 * Return the number of open connections.
	 */
	int size() {
		return this.open.size();
	}

	/**
	 * Return the open connections, in the order they opened. The list is a view that
	 * changes as connections open and close.
	 */
	List<Client> openClients() {
		return Collections.unmodifiableList(this.open);
	}

	/**
	 * Return the number of connects that failed so far: refused, reset, or answered with
	 * anything but a valid upgrade response.
	 */
	int failedConnects() {
		return this.failedConnects;
	}

	long closedByServer() {
		return this.closedByServer;
	}

	long unexpectedMessages() {
		return this.unexpectedMessages;
	}

	/**
	 * Return the number of data frames (text, binary and continuation) received so far.
	 */
	long dataFrames() {
		return this.dataFrames;
	}

	/**
	 * Return the number of complete data messages received so far.
	 */
	long dataMessages() {
		return this.dataMessages;
	}

	/**
	 * Close connections closed abruptly by
	 * {@link #disconnectAll(double, boolean, Duration)} with a TCP reset
	 * ({@code SO_LINGER} 0) rather than a FIN.
	 */
	void resetAbrupt(boolean reset) {
		this.resetAbrupt = reset;
	}

	/**
	 * Stop reading from an open client, as an application that stopped reading its socket
	 * would: the server's messages fill its receive buffer and then the server's send
	 * buffer. The client leaves the open clients (it sends and expects nothing any more)
	 * and stays connected until it is {@link #abort(Client) aborted} or the server closes
	 * it.
	 */
	void stall(Client client) {
		this.open.remove(client);
		client.stalled = true;
		SelectionKey key = client.key;
		if (key != null && key.isValid()) {
			key.interestOps(0);
		}
	}

	/**
	 * Stop answering a client's pings (it keeps reading), as a peer whose application
	 * hangs while its kernel still acknowledges: the server learns nothing from it any
	 * more. Its close frame, when the server gives up, is timed (see
	 * {@link Client#closedAt}).
	 */
	void silence(Client client) {
		client.silent = true;
	}

	/**
	 * Close a client's connection at once with a TCP reset, without a close frame.
	 */
	void abort(Client client) {
		this.open.remove(client);
		reset(client);
		closeChannel(client);
	}

	/**
	 * Open connections until {@code target} are open, with at most {@code concurrency}
	 * connects and handshakes in progress at a time. A connect that fails is replaced by
	 * another.
	 * @throws IOException if the target is not reached within the timeout
	 */
	void connect(int target, int concurrency, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.open.size() < target) {
			while (this.pending < concurrency && this.open.size() + this.pending < target) {
				startConnect();
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IOException("Connected " + this.open.size() + " of " + target + " clients within " + timeout
						+ " (" + this.failedConnects + " connects failed)");
			}
			poll(10);
		}
	}

	/**
	 * Start {@code count} connects as fast as this thread can, then wait, polling without
	 * sleeping, until every one of them has either opened (its upgrade response received)
	 * or failed, or the timeout has passed. A failed connect is not retried; one still in
	 * progress at the timeout is abandoned.
	 * @return what became of the connects
	 */
	ConnectBurst connectAtOnce(int count, Duration timeout) throws IOException {
		int first = this.clients.size();
		int failedBefore = this.failedConnects;
		long started = System.nanoTime();
		long deadline = started + timeout.toNanos();
		for (int i = 0; i < count; i++) {
			startConnect();
			if (i % CONNECTS_PER_POLL == CONNECTS_PER_POLL - 1) {
				poll(0);
			}
		}
		long issued = System.nanoTime();
		while (this.pending > 0 && System.nanoTime() - deadline < 0) {
			poll(0);
		}
		long finished = System.nanoTime();
		int timedOut = 0;
		List<Client> burst = this.clients.subList(first, this.clients.size());
		long[] latencies = new long[count];
		int opened = 0;
		long lastOpened = started;
		for (Client client : burst) {
			if (client.openedAt != 0) {
				latencies[opened++] = client.openedAt - client.connectStarted;
				lastOpened = Math.max(lastOpened, client.openedAt);
			}
			else if (client.state == Client.CONNECTING || client.state == Client.HANDSHAKING) {
				timedOut++;
				this.pending--;
				closeChannel(client);
			}
		}
		return new ConnectBurst(count, opened, this.failedConnects - failedBefore, timedOut, issued - started,
				lastOpened - started, finished - started, Arrays.copyOf(latencies, opened));
	}

	/**
	 * Process events for the given time, answering pings.
	 */
	void idle(Duration duration) throws IOException {
		long deadline = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() - deadline < 0) {
			poll(50);
		}
	}

	/**
	 * Close every connection and the selector.
	 */
	@Override
	public void close() throws IOException {
		disconnectAll();
		this.selector.close();
	}

	/**
	 * Close every connection cleanly, waiting up to three seconds, without polling
	 * busily. The pool stays usable.
	 */
	void disconnectAll() throws IOException {
		disconnectAll(0, false, Duration.ofSeconds(3));
	}

	/**
	 * Close every connection, then every socket, and forget them. A clean close sends a
	 * close frame and waits for the server's close frame and for the server to close the
	 * TCP connection, as a client should; an abrupt one closes the socket at once,
	 * without a close frame. The pool stays usable.
	 * @param abruptFraction the share of connections to close abruptly, spread evenly
	 * over them; 0 for none
	 * @param busy whether to wait without sleeping
	 * @param timeout how long to wait for the server before closing the remaining sockets
	 * @return the number of connections that the server had not closed within the timeout
	 */
	int disconnectAll(double abruptFraction, boolean busy, Duration timeout) throws IOException {
		int index = 0;
		for (Client client : List.copyOf(this.open)) {
			if (Math.floor((index + 1) * abruptFraction) > Math.floor(index * abruptFraction)) {
				if (this.resetAbrupt) {
					reset(client);
				}
				closeChannel(client);
			}
			else {
				client.state = Client.CLOSING;
				send(client, Frames.close(1000, this.random));
			}
			index++;
		}
		this.open.clear();
		long deadline = System.nanoTime() + timeout.toNanos();
		int unclosed = countUnclosed();
		while (unclosed > 0 && System.nanoTime() - deadline < 0) {
			poll(busy ? 0 : 20);
			unclosed = countUnclosed();
		}
		for (Client client : this.clients) {
			closeChannel(client);
		}
		this.clients.clear();
		this.pending = 0;
		return unclosed;
	}

	/**
	 * Queue a frame for a client and write what its socket takes now.
	 */
	void send(Client client, ByteBuffer frame) {
		if (client.state == Client.CLOSED) {
			return;
		}
		client.out.add(frame);
		if (client.out.size() == 1 && client.state != Client.CONNECTING) {
			try {
				flush(client);
			}
			catch (IOException ex) {
				lost(client);
			}
		}
	}

	/**
	 * Handle the ready connections, waiting up to the timeout for one, or not at all if
	 * it is 0.
	 */
	void poll(long timeoutMillis) throws IOException {
		if (timeoutMillis > 0) {
			this.selector.select(this::handle, timeoutMillis);
		}
		else {
			this.selector.selectNow(this::handle);
		}
	}

	private int countUnclosed() {
		int unclosed = 0;
		for (Client client : this.clients) {
			if (client.state != Client.CLOSED) {
				unclosed++;
			}
		}
		return unclosed;
	}

	// Connecting

	private void startConnect() throws IOException {
		byte[] nonce = new byte[16];
		this.random.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		SocketChannel channel = SocketChannel.open();
		channel.configureBlocking(false);
		channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		Client client = new Client(this.clients.size(), channel, accept(key));
		client.connectStarted = System.nanoTime();
		this.clients.add(client);
		this.pending++;
		String request = "GET " + this.path + " HTTP/1.1\r\n" + "Host: " + this.address.getHostString() + ":"
				+ this.address.getPort() + "\r\n" + "Upgrade: websocket\r\n" + "Connection: Upgrade\r\n"
				+ this.extraHeaders + "Sec-WebSocket-Key: " + key + "\r\n" + "Sec-WebSocket-Version: 13\r\n\r\n";
		client.out.add(ByteBuffer.wrap(utf8(request)));
		try {
			if (!this.sources.isEmpty()) {
				channel.bind(new InetSocketAddress(this.sources.get(client.index % this.sources.size()), 0));
			}
			if (channel.connect(this.address)) {
				connected(client);
			}
			else {
				client.key = channel.register(this.selector, SelectionKey.OP_CONNECT, client);
			}
		}
		catch (IOException ex) {
			connectFailed(client);
		}
	}

	private void connected(Client client) throws IOException {
		client.state = Client.HANDSHAKING;
		if (client.key == null) {
			client.key = client.channel.register(this.selector, SelectionKey.OP_READ, client);
		}
		flush(client);
	}

	private void connectFailed(Client client) {
		this.failedConnects++;
		if (client.state == Client.CONNECTING || client.state == Client.HANDSHAKING) {
			this.pending--;
		}
		closeChannel(client);
	}

	@SuppressWarnings("ByteBufferBackingArray") // Client.in is from ByteBuffer.allocate()
	private void handshake(Client client) {
		ByteBuffer in = client.in;
		int end = indexOf(in.array(), 0, in.position(), utf8("\r\n\r\n"));
		if (end < 0) {
			return;
		}
		String response = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
		boolean accepted = response.startsWith("HTTP/1.1 101") && response.toLowerCase(Locale.ROOT)
			.contains("sec-websocket-accept: " + client.expectedAccept.toLowerCase(Locale.ROOT));
		this.pending--;
		if (!accepted) {
			this.failedConnects++;
			closeChannel(client);
			return;
		}
		in.flip();
		in.position(end + 4);
		in.compact();
		client.state = Client.OPEN;
		client.openedAt = System.nanoTime();
		this.open.add(client);
	}

	// Event loop

	/**
	 * Handle one ready connection. Selecting with an action spares the selected-key set
	 * and its iterator on every poll.
	 */
	private void handle(SelectionKey key) {
		Client client = (Client) key.attachment();
		try {
			if (key.isConnectable()) {
				if (client.channel.finishConnect()) {
					key.interestOps(SelectionKey.OP_READ);
					connected(client);
				}
				return;
			}
			if (key.isWritable()) {
				flush(client);
			}
			if (key.isReadable()) {
				read(client);
			}
		}
		catch (CancelledKeyException ex) {
			// Closed while processing this round of keys.
		}
		catch (IOException ex) {
			lost(client);
		}
	}

	private void read(Client client) throws IOException {
		while (true) {
			int read = client.channel.read(client.in);
			if (read < 0) {
				lost(client);
				return;
			}
			if (read == 0) {
				return;
			}
			boolean full = !client.in.hasRemaining();
			if (client.state == Client.HANDSHAKING) {
				handshake(client);
			}
			if (client.state == Client.OPEN || client.state == Client.CLOSING) {
				frames(client);
			}
			if (client.state == Client.CLOSED || !full) {
				return;
			}
		}
	}

	@SuppressWarnings("ByteBufferBackingArray") // Client.in is from ByteBuffer.allocate()
	private void frames(Client client) throws IOException {
		ByteBuffer in = client.in;
		in.flip();
		byte[] array = in.array();
		int needed = 0;
		while (in.remaining() >= 2) {
			int start = in.position();
			int b0 = array[start] & 0xff;
			int b1 = array[start + 1] & 0xff;
			boolean fin = (b0 & 0x80) != 0;
			int opcode = b0 & 0x0f;
			boolean masked = (b1 & 0x80) != 0;
			long length = b1 & 0x7f;
			int header = 2;
			if (length == 126) {
				if (in.remaining() < 4) {
					break;
				}
				length = in.getShort(start + 2) & 0xffff;
				header = 4;
			}
			else if (length == 127) {
				if (in.remaining() < 10) {
					break;
				}
				length = in.getLong(start + 2);
				header = 10;
			}
			if (masked) {
				header += 4;
			}
			if (length < 0 || length > MAX_FRAME_SIZE) {
				throw new IOException("Frame of " + length + " bytes");
			}
			if (in.remaining() < header + length) {
				needed = header + (int) length;
				break;
			}
			int payload = start + header;
			if (masked) {
				for (int i = 0; i < length; i++) {
					array[payload + i] ^= array[payload - 4 + (i & 3)];
				}
			}
			in.position(payload + (int) length);
			frame(client, fin, opcode, array, payload, (int) length);
			if (client.state == Client.CLOSED) {
				return;
			}
		}
		in.compact();
		if (needed > 0) {
			client.ensureCapacity(needed);
		}
	}

	private void frame(Client client, boolean fin, int opcode, byte[] data, int offset, int length) throws IOException {
		switch (opcode) {
			case 0x1, 0x2 -> {
				this.dataFrames++;
				if (fin) {
					this.dataMessages++;
					this.handler.onMessage(client, data, offset, length);
				}
				else {
					client.fragments = new ByteArrayOutputStream(length * 2);
					client.fragments.write(data, offset, length);
				}
			}
			case 0x0 -> {
				this.dataFrames++;
				ByteArrayOutputStream fragments = client.fragments;
				if (fragments == null) {
					throw new IOException("Continuation frame without a message");
				}
				fragments.write(data, offset, length);
				if (fin) {
					client.fragments = null;
					byte[] message = fragments.toByteArray();
					this.dataMessages++;
					this.handler.onMessage(client, message, 0, message.length);
				}
			}
			case 0x8 -> {
				if (client.closedAt == 0) {
					client.closedAt = System.nanoTime();
					client.closeCode = (length >= 2) ? ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF) : 1005;
				}
				if (client.state == Client.OPEN) {
					// The server closes: answer, and close the socket without waiting.
					this.closedByServer++;
					this.open.remove(client);
					client.state = Client.CLOSING;
					send(client, Frames.close(1000, this.random));
					closeChannel(client);
				}
				// Otherwise this answers our close frame: the server closes the TCP
				// connection next, and reading its end of stream closes the socket.
			}
			case 0x9 -> {
				if (!client.silent) {
					client.lastPongAt = System.nanoTime();
					send(client, Frames.pong(Arrays.copyOfRange(data, offset, offset + length), this.random));
				}
			}
			default -> {
			}
		}
	}

	private void flush(Client client) throws IOException {
		while (!client.out.isEmpty()) {
			ByteBuffer next = client.out.peek();
			client.channel.write(next);
			if (next.hasRemaining()) {
				break;
			}
			client.out.poll();
		}
		SelectionKey key = client.key;
		if (key != null && key.isValid()) {
			int read = client.stalled ? 0 : SelectionKey.OP_READ;
			int ops = client.out.isEmpty() ? read : read | SelectionKey.OP_WRITE;
			if (key.interestOps() != ops) {
				key.interestOps(ops);
			}
		}
	}

	private void lost(Client client) {
		if (client.state == Client.CONNECTING || client.state == Client.HANDSHAKING) {
			connectFailed(client);
			return;
		}
		if (client.state == Client.OPEN) {
			this.closedByServer++;
			this.open.remove(client);
		}
		closeChannel(client);
	}

	private static void reset(Client client) {
		try {
			client.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException ex) {
			// Closed already: nothing to reset.
		}
	}

	private void closeChannel(Client client) {
		client.state = Client.CLOSED;
		client.out.clear();
		if (client.key != null) {
			client.key.cancel();
		}
		try {
			client.channel.close();
		}
		catch (IOException ex) {
			// Nothing left to release.
		}
	}

	// Helpers

	private static String accept(String key) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			return Base64.getEncoder().encodeToString(sha1.digest(utf8(key + WEBSOCKET_GUID)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static int indexOf(byte[] data, int from, int to, byte[] pattern) {
		outer: for (int i = from; i <= to - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * Receives the data messages of a pool's clients, on the pool's thread.
	 */
	@FunctionalInterface
	interface MessageHandler {

		/**
		 * Handle a complete text or binary message.
		 * @param client the client that received it
		 * @param data an array holding the message; valid only during the call
		 * @param offset where the message starts in the array
		 * @param length the message's length in bytes
		 */
		void onMessage(Client client, byte[] data, int offset, int length);

	}

}
