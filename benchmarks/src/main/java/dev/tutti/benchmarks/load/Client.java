package dev.tutti.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * The state of one client connection of a {@link ClientPool}. Used by the pool's single
 * thread only.
 */
final class Client {

	static final int CONNECTING = 0;

	static final int HANDSHAKING = 1;

	static final int OPEN = 2;

	static final int CLOSING = 3;

	static final int CLOSED = 4;

	private static final int INITIAL_BUFFER_SIZE = 4096;

	final int index;

	final SocketChannel channel;

	final String expectedAccept;

	@Nullable SelectionKey key;

	int state = CONNECTING;

	/** Whether the client stopped reading (see {@link ClientPool#stall(Client)}). */
	boolean stalled;

	/**
	 * Whether the client stopped answering pings (see
	 * {@link ClientPool#silence(Client)}).
	 */
	boolean silent;

	/**
	 * When the server's close frame arrived, from {@link System#nanoTime()}; 0 until
	 * then.
	 */
	long closedAt;

	/**
	 * When the client last answered a ping, from {@link System#nanoTime()}; 0 if never.
	 */
	long lastPongAt;

	/** The code of the server's close frame; 0 until it arrived, 1005 if it had none. */
	int closeCode;

	ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER_SIZE);

	final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(2);

	@Nullable ByteArrayOutputStream fragments;

	/** When the connect started, from {@link System#nanoTime()}. */
	long connectStarted;

	/**
	 * When the upgrade response arrived, from {@link System#nanoTime()}; 0 until then.
	 */
	long openedAt;

	Client(int index, SocketChannel channel, String expectedAccept) {
		this.index = index;
		this.channel = channel;
		this.expectedAccept = expectedAccept;
	}

	boolean isOpen() {
		return this.state == OPEN;
	}

	/**
	 * Make room for a frame of the given total size, keeping the unread bytes. The buffer
	 * must be in write mode (after {@code compact()}).
	 */
	void ensureCapacity(int size) {
		if (this.in.capacity() < size) {
			ByteBuffer larger = ByteBuffer.allocate(Math.max(size, this.in.capacity() * 2));
			this.in.flip();
			larger.put(this.in);
			this.in = larger;
		}
	}

}
