package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.SendCallback;
import dev.tutti.transport.Upgrade;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link Connection} that records what the hub sends and lets a test decide
 * when sends complete: synchronously inside the send call (the default), later on another
 * thread, or not until {@link #release()} (a stalled client).
 */
class TestConnection implements Connection {

	private static final ExecutorService completions = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "test-connection-completion");
		thread.setDaemon(true);
		return thread;
	});

	/** How sends complete. */
	enum Completion {

		/** Inside the send call. */
		SYNC,

		/** Later, on another thread. */
		ASYNC,

		/** Not until {@link TestConnection#release()} is called. */
		HOLD

	}

	private final List<String> texts = new CopyOnWriteArrayList<>();

	private final List<byte[]> binaries = new CopyOnWriteArrayList<>();

	private final List<ByteBuffer> buffers = new CopyOnWriteArrayList<>();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

	private final AtomicInteger pings = new AtomicInteger();

	private final AtomicInteger sendsInFlight = new AtomicInteger();

	private final AtomicInteger maxSendsInFlight = new AtomicInteger();

	private final Deque<SendCallback> held = new ArrayDeque<>();

	private final Map<String, Object> handshakeAttributes = new ConcurrentHashMap<>();

	private final URI uri;

	private volatile Completion completion = Completion.SYNC;

	private volatile boolean autoPong;

	private volatile @Nullable ConnectionListener listener;

	TestConnection() {
		this(URI.create("ws://localhost/ws"));
	}

	TestConnection(URI uri) {
		this.uri = uri;
	}

	/**
	 * Hand this connection to the hub as a transport does: run the handshake, then open
	 * the upgrade, and keep the listener the hub returns.
	 * @throws IllegalStateException if the handshake is refused
	 */
	ConnectionListener open(Hub hub) {
		Upgrade upgrade = handshake(hub);
		if (!upgrade.result().accepted()) {
			throw new IllegalStateException("Handshake refused: " + upgrade.result());
		}
		return open(upgrade);
	}

	/**
	 * Run the handshake of this connection's request, with its attributes to seed.
	 */
	Upgrade handshake(Hub hub) {
		HandshakeRequest request = new HandshakeRequest(this.uri, Map.of("Origin", List.of("http://localhost")), null,
				InetSocketAddress.createUnresolved("client.example", 40000));
		request.attributes().putAll(this.handshakeAttributes);
		return hub.handshake(request);
	}

	/**
	 * Open an accepted upgrade with this connection.
	 */
	ConnectionListener open(Upgrade upgrade) {
		ConnectionListener listener = upgrade.open(this);
		this.listener = listener;
		return listener;
	}

	ConnectionListener listener() {
		ConnectionListener listener = this.listener;
		if (listener == null) {
			throw new IllegalStateException("Not opened");
		}
		return listener;
	}

	/**
	 * Return the session the hub created for this connection.
	 */
	Session session() {
		return (Session) listener();
	}

	TestConnection completeAsync() {
		this.completion = Completion.ASYNC;
		return this;
	}

	TestConnection hold() {
		this.completion = Completion.HOLD;
		return this;
	}

	TestConnection autoPong() {
		this.autoPong = true;
		return this;
	}

	/**
	 * Stop holding sends: complete the held ones and complete later ones synchronously.
	 */
	void release() {
		this.completion = Completion.SYNC;
		completeHeld(null);
	}

	/**
	 * Fail the held sends.
	 */
	void failHeld(Throwable failure) {
		completeHeld(failure);
	}

	private void completeHeld(@Nullable Throwable failure) {
		while (true) {
			SendCallback callback;
			synchronized (this.held) {
				callback = this.held.poll();
			}
			if (callback == null) {
				return;
			}
			callback.completed(failure);
		}
	}

	int heldSends() {
		synchronized (this.held) {
			return this.held.size();
		}
	}

	Map<String, Object> handshakeAttributesToSeed() {
		return this.handshakeAttributes;
	}

	/** Text frames in the order the hub sent them. */
	List<String> texts() {
		return Collections.unmodifiableList(new ArrayList<>(this.texts));
	}

	/** Binary frames in the order the hub sent them, copied out of their buffers. */
	List<byte[]> binaries() {
		return Collections.unmodifiableList(new ArrayList<>(this.binaries));
	}

	/** The buffers the hub passed to {@link #sendBinary}, after the frames were read. */
	List<ByteBuffer> buffers() {
		return Collections.unmodifiableList(new ArrayList<>(this.buffers));
	}

	/**
	 * Every send and close, as {@code text:...}, {@code binary:n}, {@code ping} and
	 * {@code close:code}.
	 */
	List<String> events() {
		return Collections.unmodifiableList(new ArrayList<>(this.events));
	}

	/**
	 * Add an event to {@link #events()}, for subclasses that send more kinds of frames.
	 */
	void recordEvent(String event) {
		this.events.add(event);
	}

	/** The statuses {@link #close(int, String)} was called with. */
	List<CloseStatus> closes() {
		return Collections.unmodifiableList(new ArrayList<>(this.closes));
	}

	int pings() {
		return this.pings.get();
	}

	int maxSendsInFlight() {
		return this.maxSendsInFlight.get();
	}

	@Override
	public void sendText(String text, SendCallback callback) {
		started();
		this.texts.add(text);
		this.events.add("text:" + text);
		complete(callback);
	}

	@Override
	public void sendBinary(ByteBuffer data, SendCallback callback) {
		started();
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.binaries.add(bytes);
		this.buffers.add(data);
		this.events.add("binary:" + bytes.length);
		complete(callback);
	}

	@Override
	public void sendPing(ByteBuffer data, SendCallback callback) {
		started();
		this.pings.incrementAndGet();
		this.events.add("ping");
		complete(callback);
		ConnectionListener listener = this.listener;
		if (this.autoPong && listener != null) {
			listener.onPong(ByteBuffer.allocate(0));
		}
	}

	@Override
	public void close(int code, String reason) {
		this.closes.add(new CloseStatus(code, reason));
		this.events.add("close:" + code);
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return InetSocketAddress.createUnresolved("localhost", 8080);
	}

	private void started() {
		int inFlight = this.sendsInFlight.incrementAndGet();
		this.maxSendsInFlight.accumulateAndGet(inFlight, Math::max);
	}

	private void complete(SendCallback callback) {
		SendCallback finished = (failure) -> {
			this.sendsInFlight.decrementAndGet();
			callback.completed(failure);
		};
		switch (this.completion) {
			case SYNC -> finished.completed(null);
			case ASYNC -> completions.execute(() -> finished.completed(null));
			case HOLD -> {
				boolean heldNow;
				synchronized (this.held) {
					heldNow = this.completion == Completion.HOLD;
					if (heldNow) {
						this.held.add(finished);
					}
				}
				if (!heldNow) {
					finished.completed(null);
				}
			}
		}
	}

}
