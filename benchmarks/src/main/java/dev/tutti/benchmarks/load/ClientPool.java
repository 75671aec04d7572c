package dev.tutti.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * WebSocket clients of one server, driven by a single thread with one selector: connects
 * them, runs broadcast steps of the websocket-shootout protocol and closes them. Not
 * thread-safe: every method must be called from the same thread.
 */
final class ClientPool implements AutoCloseable {

	private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final int MAX_FRAME_SIZE = 16 * 1024 * 1024;

	/** A step stops sending broadcasts after this many timed out. */
	private static final int MAX_TIMEOUTS = 3;

	private static final byte[] TYPE_FIELD = utf8("\"type\":\"");

	private static final byte[] ID_FIELD = utf8("\"id\":");

	private static final byte[] LISTENER_COUNT_FIELD = utf8("\"listenerCount\":");

	private static final byte[] BROADCAST_RESULT_TYPE = utf8("broadcastResult\"");

	private static final byte[] BROADCAST_TYPE = utf8("broadcast\"");

	private static final byte[] ECHO_TYPE = utf8("echo\"");

	private final InetSocketAddress address;

	private final String path;

	private final Selector selector;

	private final Random random = new Random(42);

	private final List<Client> clients = new ArrayList<>();

	private final List<Client> open = new ArrayList<>();

	private int pending;

	private int failedConnects;

	private long nextBroadcastId = 1;

	private @Nullable BroadcastStep step;

	private byte @Nullable [] expectedEcho;

	private @Nullable Client echoClient;

	private boolean echoReceived;

	private long unexpectedMessages;

	/** Appended to every broadcast's payload: empty, or a {@code "pad"} field. */
	private String padding = "";

	private long closedByServer;

	ClientPool(InetSocketAddress address, String path) throws IOException {
		this.address = address;
		this.path = path;
		this.selector = Selector.open();
	}

	/**
	 * Return the number of open connections.
	 */
	int size() {
		return this.open.size();
	}

	long closedByServer() {
		return this.closedByServer;
	}

	long unexpectedMessages() {
		return this.unexpectedMessages;
	}

	/**
	 * Pad the payload of the broadcasts sent from now on with a field of the given number
	 * of ASCII characters, so that the servers send larger messages.
	 * @param bytes the size of the padding, 0 for none
	 */
	void padBroadcasts(int bytes) {
		this.padding = (bytes > 0) ? ",\"pad\":\"" + "x".repeat(bytes) + "\"" : "";
	}

	/**
	 * Open connections until {@code target} are open, with at most {@code concurrency}
	 * connects and handshakes in progress at a time.
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
	 * Send an echo request from a random client and wait for the same message back.
	 * @return whether the echo came back unchanged within the timeout
	 */
	boolean verifyEcho(Duration timeout) throws IOException {
		Client client = this.open.get(this.random.nextInt(this.open.size()));
		byte[] message = utf8("{\"type\":\"echo\",\"payload\":{\"id\":0,\"check\":\"echo \\u00e9\"}}");
		this.expectedEcho = message;
		this.echoClient = client;
		this.echoReceived = false;
		send(client, Frames.text(message, this.random));
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.echoReceived && System.nanoTime() - deadline < 0) {
			poll(10);
		}
		this.expectedEcho = null;
		this.echoClient = null;
		return this.echoReceived;
	}

	/**
	 * Send {@code count} broadcasts from random clients, {@code concurrency} at a time,
	 * and track their delivery to every open client.
	 * @param count the number of broadcasts
	 * @param concurrency how many broadcasts may be in flight at once
	 * @param timeout how long one broadcast may take before its missing deliveries are
	 * given up; after three timeouts the step sends no more broadcasts, and a step lasts
	 * at most five minutes plus three timeouts
	 * @param probe the server's CPU probe, or {@code null}
	 * @return the step's results
	 */
	StepResult broadcast(int count, int concurrency, Duration timeout, @Nullable ServerProbe probe) throws IOException {
		BroadcastStep step = new BroadcastStep(this.nextBroadcastId, count, this.open.size());
		this.nextBroadcastId += count;
		this.step = step;
		long timeoutNanos = timeout.toNanos();
		long stepDeadline = System.nanoTime() + timeoutNanos * 3 + Duration.ofMinutes(5).toNanos();
		ServerProbe.CpuSample serverCpu = (probe != null) ? probe.cpu() : null;
		long clientTicks = ServerProbe.selfCpuTicks();
		long started = System.nanoTime();
		while (step.completed < step.sent || (step.sent < count && step.timedOut() < MAX_TIMEOUTS)) {
			if (System.nanoTime() - stepDeadline > 0) {
				break;
			}
			while (step.active < concurrency && step.sent < count && step.timedOut() < MAX_TIMEOUTS) {
				sendBroadcast(step);
			}
			// Busy polling: on loopback the sending server's kernel wakes a sleeping
			// client,
			// and that wake-up would count as the server's CPU time.
			poll(0);
			step.expire(System.nanoTime(), timeoutNanos);
		}
		long finished = System.nanoTime();
		ServerProbe.CpuSample serverCpuUsed = (probe != null && serverCpu != null) ? probe.cpu().minus(serverCpu)
				: null;
		long clientTicksUsed = ServerProbe.selfCpuTicks() - clientTicks;
		long settle = System.nanoTime() + Duration.ofMillis(300).toNanos();
		while (System.nanoTime() - settle < 0) {
			poll(10);
		}
		this.step = null;
		return step.result(finished - started, serverCpuUsed, clientTicksUsed);
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
	 * Send a close frame on every open connection, wait a little for the server's close
	 * frames, then close every socket. The pool stays usable.
	 */
	void disconnectAll() throws IOException {
		for (Client client : List.copyOf(this.open)) {
			client.state = Client.CLOSING;
			send(client, Frames.close(1000, this.random));
		}
		this.open.clear();
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() - deadline < 0 && hasUnclosed()) {
			poll(20);
		}
		for (Client client : this.clients) {
			closeChannel(client);
		}
		this.clients.clear();
		this.pending = 0;
	}

	private boolean hasUnclosed() {
		for (Client client : this.clients) {
			if (client.state != Client.CLOSED) {
				return true;
			}
		}
		return false;
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
				+ "Sec-WebSocket-Key: " + key + "\r\n" + "Sec-WebSocket-Version: 13\r\n\r\n";
		client.out.add(ByteBuffer.wrap(utf8(request)));
		try {
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
		this.open.add(client);
	}

	// Broadcasting

	private void sendBroadcast(BroadcastStep step) throws IOException {
		Client sender = this.open.get(this.random.nextInt(this.open.size()));
		long id = step.firstId + step.sent;
		byte[] message = utf8("{\"type\":\"broadcast\",\"payload\":{\"id\":" + id + ",\"sendTime\":"
				+ System.currentTimeMillis() + this.padding + "}}");
		step.started(id, sender.index, System.nanoTime());
		send(sender, Frames.text(message, this.random));
	}

	private void onMessage(Client client, byte[] data, int offset, int length) {
		int end = offset + length;
		int type = indexOf(data, offset, end, TYPE_FIELD);
		if (type < 0) {
			this.unexpectedMessages++;
			return;
		}
		int value = type + TYPE_FIELD.length;
		BroadcastStep step = this.step;
		if (startsWith(data, value, end, BROADCAST_RESULT_TYPE)) {
			long id = number(data, value, end, ID_FIELD);
			long listeners = number(data, value, end, LISTENER_COUNT_FIELD);
			if (step != null) {
				step.resultReceived(id, client.index, (int) listeners, System.nanoTime());
			}
			else {
				this.unexpectedMessages++;
			}
		}
		else if (startsWith(data, value, end, BROADCAST_TYPE)) {
			long id = number(data, value, end, ID_FIELD);
			if (step != null) {
				step.delivered(id, client.index, System.nanoTime());
			}
			else {
				this.unexpectedMessages++;
			}
		}
		else if (startsWith(data, value, end, ECHO_TYPE) && client == this.echoClient && this.expectedEcho != null
				&& Arrays.equals(data, offset, end, this.expectedEcho, 0, this.expectedEcho.length)) {
			this.echoReceived = true;
		}
		else {
			this.unexpectedMessages++;
		}
	}

	// Event loop

	/**
	 * Handle the ready connections, waiting up to the timeout for one, or not at all if
	 * it is 0.
	 */
	private void poll(long timeoutMillis) throws IOException {
		if (timeoutMillis > 0) {
			this.selector.select(this::handle, timeoutMillis);
		}
		else {
			this.selector.selectNow(this::handle);
		}
	}

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
				if (fin) {
					onMessage(client, data, offset, length);
				}
				else {
					client.fragments = new ByteArrayOutputStream(length * 2);
					client.fragments.write(data, offset, length);
				}
			}
			case 0x0 -> {
				ByteArrayOutputStream fragments = client.fragments;
				if (fragments == null) {
					throw new IOException("Continuation frame without a message");
				}
				fragments.write(data, offset, length);
				if (fin) {
					client.fragments = null;
					byte[] message = fragments.toByteArray();
					onMessage(client, message, 0, message.length);
				}
			}
			case 0x8 -> {
				if (client.state == Client.OPEN) {
					this.closedByServer++;
					this.open.remove(client);
					client.state = Client.CLOSING;
					send(client, Frames.close(1000, this.random));
				}
				closeChannel(client);
			}
			case 0x9 -> send(client, Frames.pong(Arrays.copyOfRange(data, offset, offset + length), this.random));
			default -> {
			}
		}
	}

	private void send(Client client, ByteBuffer frame) throws IOException {
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
			int ops = client.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
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

	private static int indexOf(byte[] data, int from, int to, byte[] pattern) {
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

	private static boolean startsWith(byte[] data, int from, int to, byte[] prefix) {
		return to - from >= prefix.length && Arrays.equals(data, from, from + prefix.length, prefix, 0, prefix.length);
	}

	private static long number(byte[] data, int from, int to, byte[] field) {
		int at = indexOf(data, from, to, field);
		if (at < 0) {
			return -1;
		}
		long value = 0;
		boolean digits = false;
		for (int i = at + field.length; i < to && data[i] >= '0' && data[i] <= '9'; i++) {
			value = value * 10 + (data[i] - '0');
			digits = true;
		}
		return digits ? value : -1;
	}

}
