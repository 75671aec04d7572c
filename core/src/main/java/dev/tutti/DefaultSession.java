package dev.tutti;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import org.jspecify.annotations.Nullable;

/**
 * The hub's session: registry entry, attribute map, inbound reassembly and outbound
 * writer of one connection. Also the {@link ConnectionListener} the transport reports to.
 */
final class DefaultSession implements Session, ConnectionListener {

	private static final int CONNECTING = 0;

	private static final int OPEN = 1;

	private static final int DISCONNECTED = 2;

	private final Hub hub;

	private final Connection connection;

	private final String id = UUID.randomUUID().toString();

	private final Map<String, Object> attributes;

	private final SessionWriter writer;

	private final int maxMessageSize;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicInteger lifecycle = new AtomicInteger(CONNECTING);

	private volatile CloseStatus disconnectStatus = CloseStatus.NORMAL;

	private volatile boolean transportFailed;

	/**
	 * Whether the close frame was sent or the transport reported the connection closed.
	 */
	private volatile boolean ended;

	private volatile long lastSeen;

	private volatile long lastPing;

	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	private @Nullable StringBuilder textParts;

	private byte @Nullable [] binaryParts;

	private int inboundSize;

	DefaultSession(Hub hub, Connection connection) {
		this.hub = hub;
		this.connection = connection;
		this.attributes = new ConcurrentHashMap<>(connection.handshakeAttributes());
		this.writer = new SessionWriter(this, connection, hub.config(), hub.heartbeat());
		this.maxMessageSize = hub.config().maxMessageSize();
		long now = System.nanoTime();
		this.lastSeen = now;
		this.lastPing = now;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public boolean write(String text) {
		return offerOrThrow(Outbound.text(text, 0, null));
	}

	@Override
	public boolean write(String text, Duration writeTimeout) {
		return offerOrThrow(Outbound.text(text, writeTimeout.toNanos(), null));
	}

	@Override
	public boolean writeBinary(byte[] data) {
		return offerOrThrow(Outbound.binary(data, 0, null));
	}

	@Override
	public boolean writeBinary(byte[] data, Duration writeTimeout) {
		return offerOrThrow(Outbound.binary(data, writeTimeout.toNanos(), null));
	}

	@Override
	public CompletionStage<Void> writeAsync(String text) {
		CompletableFuture<Void> future = new CompletableFuture<>();
		offerTracked(Outbound.text(text, 0, future));
		return future;
	}

	@Override
	public CompletionStage<Void> writeBinaryAsync(byte[] data) {
		CompletableFuture<Void> future = new CompletableFuture<>();
		offerTracked(Outbound.binary(data, 0, future));
		return future;
	}

	@Override
	public boolean writeJson(Object value) {
		return write(this.hub.requireCodec().encode(value));
	}

	@Override
	public boolean join(String room) {
		if (isClosed()) {
			throw new SessionClosedException(this.id);
		}
		if (!this.hub.rooms.join(room, this)) {
			return false;
		}
		this.rooms.add(room);
		if (isClosed()) {
			leave(room);
			throw new SessionClosedException(this.id);
		}
		this.hub.fireJoin(this, room);
		return true;
	}

	@Override
	public boolean leave(String room) {
		if (!this.hub.rooms.leave(room, this)) {
			return false;
		}
		this.rooms.remove(room);
		this.hub.fireLeave(this, room);
		return true;
	}

	@Override
	public Set<String> rooms() {
		return Set.copyOf(this.rooms);
	}

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	@Override
	public void close(CloseStatus status) {
		if (this.closed.compareAndSet(false, true)) {
			this.writer.closeAfterFlush(status);
			if (!this.writer.isReleased()) {
				this.hub.flushingSessions().add(this);
			}
			disconnect(status);
		}
	}

	@Override
	public boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public void set(String key, Object value) {
		this.attributes.put(key, value);
	}

	@Override
	public @Nullable Object get(String key) {
		return this.attributes.get(key);
	}

	@Override
	public <T> @Nullable T get(String key, Class<T> type) {
		return type.cast(this.attributes.get(key));
	}

	@Override
	public @Nullable Object remove(String key) {
		return this.attributes.remove(key);
	}

	@Override
	public Set<String> keys() {
		return Set.copyOf(this.attributes.keySet());
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.connection.remoteAddress();
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return this.connection.localAddress();
	}

	@Override
	public @Nullable Principal principal() {
		return this.connection.principal();
	}

	@Override
	public URI uri() {
		return this.connection.uri();
	}

	@Override
	public Map<String, List<String>> headers() {
		return this.connection.headers();
	}

	@Override
	public Map<String, List<String>> queryParameters() {
		return Http.queryParameters(this.connection.uri());
	}

	@Override
	public String toString() {
		return "Session[" + this.id + "]";
	}

	// Transport events

	@Override
	public void onText(String part, boolean last) {
		this.lastSeen = System.nanoTime();
		if (isClosed()) {
			return;
		}
		StringBuilder parts = this.textParts;
		// A surrogate pair split between parts takes 4 bytes, not 3 for each half
		int splitPair = (parts != null && parts.length() > 0
				&& Character.isHighSurrogate(parts.charAt(parts.length() - 1)) && !part.isEmpty()
				&& Character.isLowSurrogate(part.charAt(0))) ? 2 : 0;
		int size = this.inboundSize + Utf8.length(part, this.maxMessageSize - this.inboundSize + splitPair) - splitPair;
		if (size > this.maxMessageSize) {
			tooBig();
			return;
		}
		if (last) {
			String message = (parts != null) ? parts.append(part).toString() : part;
			this.textParts = null;
			this.inboundSize = 0;
			this.hub.dispatchText(this, message);
		}
		else {
			if (parts == null) {
				parts = new StringBuilder(Math.max(16, part.length() * 2));
				this.textParts = parts;
			}
			parts.append(part);
			this.inboundSize = size;
		}
	}

	@Override
	public void onBinary(ByteBuffer part, boolean last) {
		this.lastSeen = System.nanoTime();
		if (isClosed()) {
			return;
		}
		int length = part.remaining();
		if ((long) this.inboundSize + length > this.maxMessageSize) {
			tooBig();
			return;
		}
		byte[] parts = this.binaryParts;
		if (parts == null) {
			parts = new byte[last ? length : Math.min(this.maxMessageSize, Math.max(256, length * 2))];
		}
		else if (parts.length < this.inboundSize + length) {
			parts = Arrays.copyOf(parts,
					Math.min(this.maxMessageSize, Math.max(parts.length * 2, this.inboundSize + length)));
		}
		part.get(parts, this.inboundSize, length);
		this.inboundSize += length;
		if (last) {
			byte[] message = (parts.length == this.inboundSize) ? parts : Arrays.copyOf(parts, this.inboundSize);
			this.binaryParts = null;
			this.inboundSize = 0;
			this.hub.dispatchBinary(this, message);
		}
		else {
			this.binaryParts = parts;
		}
	}

	@Override
	public void onPong(ByteBuffer data) {
		this.lastSeen = System.nanoTime();
		this.hub.firePong(this);
	}

	@Override
	public void onError(Throwable error) {
		this.transportFailed = true;
		this.hub.fireError(this, error);
	}

	@Override
	public void onClosed(int code, String reason) {
		if (!this.closed.compareAndSet(false, true)) {
			// Closed by this side: the messages a flush still holds can no longer be sent
			this.writer.release(new SessionClosedException(this.id));
			ended();
			return;
		}
		CloseStatus status = (code >= 1000 && code <= 4999) ? new CloseStatus(code, reason)
				: CloseStatus.NO_CLOSE_FRAME.withReason(reason);
		this.writer.release(new SessionClosedException(this.id));
		if (status.code() == CloseStatus.NO_CLOSE_FRAME.code()) {
			if (!this.transportFailed) {
				this.hub.fireError(this, new ConnectionLostException(this.id));
			}
		}
		else {
			this.hub.fireClose(this, status);
		}
		disconnect(status);
		ended();
	}

	// Hub internals

	Hub hub() {
		return this.hub;
	}

	SessionWriter.Offer offer(Outbound message) {
		return this.writer.offer(message);
	}

	void connected() {
		if (!this.lifecycle.compareAndSet(CONNECTING, OPEN)) {
			this.hub.fireDisconnect(this, this.disconnectStatus);
		}
	}

	/**
	 * Close without flushing: fail the queued messages, send the close frame on a worker
	 * thread (the transport may block) and disconnect.
	 */
	void abort(CloseStatus status) {
		if (this.closed.compareAndSet(false, true)) {
			this.writer.release(new SessionClosedException(this.id));
			closeTransport(status);
			disconnect(status);
		}
	}

	void heartbeat(long now, long pingPeriodNanos, long pongTimeoutNanos) {
		if (isClosed()) {
			return;
		}
		if (this.writer.writeTimedOut(now)) {
			runOnWorker(() -> abort(CloseStatus.WRITE_TIMEOUT));
		}
		else if (now - this.lastSeen > pongTimeoutNanos) {
			runOnWorker(() -> abort(CloseStatus.PONG_TIMEOUT));
		}
		else if (now - this.lastPing >= pingPeriodNanos) {
			this.lastPing = now;
			this.writer.requestPing();
		}
	}

	/**
	 * Check a closed session that flushes its queue before the close frame: once a write
	 * times out, fail the rest of the queue and close the connection.
	 * @return whether the flush is over
	 */
	boolean flushDone(long now) {
		if (this.writer.isReleased()) {
			return true;
		}
		if (this.writer.writeTimedOut(now) && this.writer.release(new SessionClosedException(this.id))) {
			closeTransport(CloseStatus.WRITE_TIMEOUT);
			return true;
		}
		return false;
	}

	void closeTransport(CloseStatus status) {
		Runnable close = () -> {
			try {
				this.connection.close(status.code(), status.reason());
			}
			catch (RuntimeException ex) {
				this.hub.logDebug(() -> "Closing " + this + " failed: " + ex);
			}
			finally {
				ended();
			}
		};
		runOnWorker(close);
	}

	/**
	 * Whether the close frame was sent (or failed) or the transport reported the
	 * connection closed.
	 */
	boolean hasEnded() {
		return this.ended;
	}

	void runOnWorker(Runnable task) {
		this.hub.runOnWorker(task);
	}

	void runOnWriter(Runnable task) {
		this.hub.runOnWriter(task);
	}

	void sent(Outbound message) {
		this.hub.fireSent(this, message);
	}

	/**
	 * Close after a failed send. A transport that gave up because the write took too long
	 * (such as a blocking ping bounded by the write timeout) closes with
	 * {@link CloseStatus#WRITE_TIMEOUT}, like the heartbeat would have.
	 */
	void writeFailed(Throwable failure, boolean timedOut) {
		if (timedOut) {
			abort(CloseStatus.WRITE_TIMEOUT);
		}
		else if (!isClosed()) {
			this.hub.fireError(this, failure);
			abort(CloseStatus.SERVER_ERROR.withReason("Write failed"));
		}
	}

	void overflowed(BufferFullException ex) {
		this.hub.fireError(this, ex);
		if (ex.getPolicy() == OverflowPolicy.CLOSE) {
			abort(CloseStatus.BUFFER_FULL);
		}
	}

	private boolean offerOrThrow(Outbound message) {
		SessionWriter.Offer offer = this.writer.offer(message);
		if (offer == SessionWriter.Offer.CLOSED) {
			throw new SessionClosedException(this.id);
		}
		return offer.queued();
	}

	private void offerTracked(Outbound message) {
		if (this.writer.offer(message) == SessionWriter.Offer.CLOSED) {
			message.fail(new SessionClosedException(this.id));
		}
	}

	private void tooBig() {
		this.textParts = null;
		this.binaryParts = null;
		this.inboundSize = 0;
		MessageTooBigException ex = new MessageTooBigException(this.id, this.maxMessageSize);
		this.hub.fireError(this, ex);
		abort(CloseStatus.TOO_BIG.withReason("Message exceeds " + this.maxMessageSize + " bytes"));
	}

	private void ended() {
		this.ended = true;
		this.hub.sessionEnded(this);
	}

	private void disconnect(CloseStatus status) {
		this.hub.unregister(this);
		this.rooms.forEach(this::leave);
		this.disconnectStatus = status;
		if (this.lifecycle.getAndSet(DISCONNECTED) == OPEN) {
			this.hub.fireDisconnect(this, status);
		}
	}

}
