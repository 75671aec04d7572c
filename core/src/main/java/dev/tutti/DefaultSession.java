package dev.tutti;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.Upgrade;
import org.jspecify.annotations.Nullable;

/**
 * The hub's session: its lifecycle from handshake to disconnect, attributes, rooms and
 * the two ends of its connection ({@link MessageAssembler} in, {@link SessionWriter}
 * out). Also the {@link Upgrade} the transport opens it with and the
 * {@link ConnectionListener} the transport reports to.
 * <p>
 * Lifecycle: registered at handshake time; the connect handlers run when the transport
 * opens the connection; on close, whoever closes it first (either side, or the hub) takes
 * it out of the registry and its rooms and runs the disconnect handlers once, after the
 * connect handlers returned. A session closed before its connection opened runs neither.
 */
final class DefaultSession implements Session, ConnectionListener, Upgrade {

	private static final int CONNECTING = 0;

	private static final int OPEN = 1;

	private static final int DISCONNECTED = 2;

	private static final VarHandle CLOSED;

	private static final VarHandle LIFECYCLE;

	private static final VarHandle ROOMS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CLOSED = lookup.findVarHandle(DefaultSession.class, "closed", boolean.class);
			LIFECYCLE = lookup.findVarHandle(DefaultSession.class, "lifecycle", int.class);
			ROOMS = lookup.findVarHandle(DefaultSession.class, "rooms", SessionRooms.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final SessionRegistry registry;

	private final Handlers handlers;

	private final HubThreads threads;

	private final HubConfig config;

	private final HubMetrics metrics;

	/** Whether the opening of this session's connection was counted. */
	private volatile boolean counted;

	private final String id = SessionIds.next();

	private final HandshakeRequest request;

	private final SessionWriter writer;

	/**
	 * Reassembles fragmented messages; made when the first one starts, since a message
	 * that arrives whole needs none.
	 */
	private volatile @Nullable MessageAssembler assembler;

	/** The inbound rate limit, or {@code null} if there is none. */
	private final @Nullable InboundRateLimiter rateLimiter;

	/**
	 * The session's rooms, through {@link #ROOMS}: {@code null} until the first join,
	 * {@link SessionRooms#LEFT} once the session left its rooms for good without joining
	 * one.
	 */
	private volatile @Nullable SessionRooms rooms;

	private final SessionConnection connection;

	/** Whether the session is closed; set once, through {@link #CLOSED}. */
	private volatile boolean closed;

	/**
	 * {@link #CONNECTING} (as initialised: no store of it needed), {@link #OPEN} or
	 * {@link #DISCONNECTED}, through {@link #LIFECYCLE}.
	 */
	private volatile int lifecycle;

	/**
	 * The status the session disconnected with: written before {@link #lifecycle} becomes
	 * {@link #DISCONNECTED}, read only after seeing it so.
	 */
	private @Nullable CloseStatus disconnectStatus;

	private volatile boolean transportFailed;

	private volatile long lastSeen;

	private final long openedAtMillis = System.currentTimeMillis();

	private volatile long lastPing;

	DefaultSession(HandshakeRequest request, SessionRegistry registry, Handlers handlers, HubThreads threads,
			Heartbeat heartbeat, HubConfig config, HubMetrics metrics) {
		this.request = request;
		this.registry = registry;
		this.handlers = handlers;
		this.threads = threads;
		this.config = config;
		this.metrics = metrics;
		this.writer = new SessionWriter(this, config, heartbeat);
		this.rateLimiter = (config.inboundMessagesPerSecond() > 0)
				? new InboundRateLimiter(config.inboundMessagesPerSecond(), config.inboundBurst()) : null;
		// One clock read for both: a session is made per handshake. An upgrade is
		// given up after the pong timeout, the silence after which any session is:
		// a busy container may take longer than the write timeout to open it
		long now = System.nanoTime();
		this.lastSeen = now;
		this.connection = new SessionConnection(this, now + config.pongTimeout().toNanos());
	}

	@Override
	public String id() {
		return this.id;
	}

	// Writing

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
		return write(this.handlers.requireCodec().encode(value));
	}

	@Override
	public boolean writeError(String message) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put(this.config.messageTypeProperty(), "error");
		error.put("message", message);
		return writeJson(error);
	}

	// Rooms

	@Override
	public boolean join(String room) {
		SessionRooms rooms = this.rooms;
		if (rooms == null) {
			SessionRooms made = new SessionRooms();
			rooms = (SessionRooms) ROOMS.compareAndExchange(this, null, made);
			if (rooms == null) {
				rooms = made;
			}
		}
		if (!rooms.join(this, this.registry.rooms(), room)) {
			return false;
		}
		this.handlers.joined(this, room);
		return true;
	}

	@Override
	public boolean leave(String room) {
		SessionRooms rooms = this.rooms;
		if (rooms == null || !rooms.leave(this, this.registry.rooms(), room)) {
			return false;
		}
		this.handlers.left(this, room);
		return true;
	}

	@Override
	public Set<String> rooms() {
		SessionRooms rooms = this.rooms;
		return (rooms != null) ? rooms.snapshot() : Set.of();
	}

	// Closing

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	@Override
	public void close(CloseStatus status) {
		if (CLOSED.compareAndSet(this, false, true)) {
			this.writer.closeAfterFlush(status);
			if (!this.writer.isReleased()) {
				this.registry.flushing().add(this);
			}
			disconnect(status);
		}
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	// Attributes and the handshake

	@Override
	public void set(String key, Object value) {
		this.request.attributes().put(key, value);
	}

	@Override
	public @Nullable Object get(String key) {
		Map<String, Object> attributes = this.request.attributesIfPresent();
		return (attributes != null) ? attributes.get(key) : null;
	}

	@Override
	public <T> @Nullable T get(String key, Class<T> type) {
		return type.cast(get(key));
	}

	@Override
	public @Nullable Object remove(String key) {
		Map<String, Object> attributes = this.request.attributesIfPresent();
		return (attributes != null) ? attributes.remove(key) : null;
	}

	@Override
	public Set<String> keys() {
		Map<String, Object> attributes = this.request.attributesIfPresent();
		return (attributes != null) ? Set.copyOf(attributes.keySet()) : Set.of();
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		return this.request.remoteAddress();
	}

	@Override
	public @Nullable InetSocketAddress localAddress() {
		return this.connection.localAddress();
	}

	@Override
	public @Nullable Principal principal() {
		return this.request.principal();
	}

	@Override
	public URI uri() {
		return this.request.uri();
	}

	@Override
	public Map<String, List<String>> headers() {
		return this.request.headers();
	}

	@Override
	public Map<String, List<String>> queryParameters() {
		return this.request.queryParameters();
	}

	/**
	 * Return a snapshot of this session's state for operators.
	 */
	SessionInfo info() {
		Principal principal = principal();
		return new SessionInfo(this.id, remoteAddress(), (principal != null) ? principal.getName() : null, rooms(),
				Instant.ofEpochMilli(this.openedAtMillis), this.connection.isOpen(), this.writer.queued(),
				this.writer.dropped(), Duration.ofNanos(System.nanoTime() - this.lastSeen));
	}

	@Override
	public String toString() {
		return "Session[" + this.id + "]";
	}

	// The upgrade

	@Override
	public HandshakeResult result() {
		return HandshakeResult.accept();
	}

	@Override
	public ConnectionListener open(Connection connection) {
		long now = System.nanoTime();
		this.lastSeen = now;
		this.lastPing = now;
		if (!this.connection.open(connection)) {
			return this;
		}
		this.writer.attach(connection.isBatching() ? new BatchingDrain(this, connection)
				: new AsyncDrain(this, connection, this.handlers, this.threads));
		if (isClosed()) {
			// Closed before the connection opened: the writer flushes and sends the close
			return this;
		}
		this.counted = true;
		this.metrics.recorder().sessionOpened();
		this.handlers.connected(this);
		if (!LIFECYCLE.compareAndSet(this, CONNECTING, OPEN)) {
			// Disconnected while the connect handlers ran
			CloseStatus status = this.disconnectStatus;
			this.handlers.disconnected(this, (status != null) ? status : CloseStatus.NORMAL);
		}
		return this;
	}

	@Override
	public void abandon() {
		if (this.connection.abandon()) {
			abort(CloseStatus.NO_CLOSE_FRAME);
		}
	}

	// Transport events

	@Override
	public void onText(String part, boolean last) {
		this.lastSeen = System.nanoTime();
		if (isClosed()) {
			return;
		}
		MessageAssembler assembler = assembler(last);
		String message;
		int size;
		try {
			if (assembler == null) {
				size = MessageAssembler.wholeTextSize(this.id, part, this.config.maxMessageSize());
				message = part;
			}
			else {
				message = assembler.text(this.id, part, last);
				size = assembler.lastSize();
			}
		}
		catch (MessageTooBigException ex) {
			tooBig(ex);
			return;
		}
		if (message != null) {
			this.metrics.recorder().received(false, size);
			if (withinRateLimit()) {
				dispatch("message", () -> this.handlers.text(this, message));
			}
		}
	}

	@Override
	public void onBinary(ByteBuffer part, boolean last) {
		this.lastSeen = System.nanoTime();
		if (isClosed()) {
			return;
		}
		MessageAssembler assembler = assembler(last);
		byte[] message;
		try {
			message = (assembler == null) ? MessageAssembler.wholeBinary(this.id, part, this.config.maxMessageSize())
					: assembler.binary(this.id, part, last);
		}
		catch (MessageTooBigException ex) {
			tooBig(ex);
			return;
		}
		if (message != null) {
			this.metrics.recorder().received(true, message.length);
			if (withinRateLimit()) {
				dispatch("binary-message", () -> this.handlers.binary(this, message));
			}
		}
	}

	/**
	 * Return the assembler, made for the first part of a message that is not its last;
	 * {@code null} while every message arrived whole.
	 */
	private @Nullable MessageAssembler assembler(boolean last) {
		MessageAssembler assembler = this.assembler;
		if (assembler == null && !last) {
			// The transport reports one connection's parts serially
			assembler = new MessageAssembler(this.config.maxMessageSize());
			this.assembler = assembler;
		}
		return assembler;
	}

	@Override
	public void onPong(ByteBuffer data) {
		long now = System.nanoTime();
		this.lastSeen = now;
		this.metrics.recorder().heartbeatRtt(now - this.lastPing);
		this.handlers.pong(this);
	}

	/**
	 * Report a transport error: a failed read or write of the network (an
	 * {@link IOException}) as a {@link ConnectionLostException}, anything else as it is.
	 */
	@Override
	public void onError(Throwable error) {
		this.transportFailed = true;
		this.handlers.error(this, (error instanceof IOException) ? new ConnectionLostException(this.id, error) : error);
	}

	@Override
	public void onClosed(int code, String reason) {
		boolean first = CLOSED.compareAndSet(this, false, true);
		// Whatever a flush still holds can no longer be sent
		this.writer.release();
		this.connection.closed();
		if (!first) {
			return;
		}
		CloseStatus status = closeStatus(code, reason);
		if (status.code() == CloseStatus.NO_CLOSE_FRAME.code()) {
			if (!this.transportFailed) {
				this.handlers.error(this, new ConnectionLostException(this.id, null));
			}
		}
		else {
			this.handlers.closeReceived(this, status);
		}
		disconnect(status);
	}

	// For the hub's parts

	SessionWriter writer() {
		return this.writer;
	}

	SessionRegistry registry() {
		return this.registry;
	}

	Handlers handlers() {
		return this.handlers;
	}

	HubThreads threads() {
		return this.threads;
	}

	HubMetrics.Recorder metrics() {
		return this.metrics.recorder();
	}

	HubMetrics hubMetrics() {
		return this.metrics;
	}

	/**
	 * Return a stage completed once the connection is closed or its close frame was sent,
	 * or the upgrade was given up.
	 */
	CompletableFuture<Void> terminated() {
		return this.connection.terminated();
	}

	SessionConnection connection() {
		return this.connection;
	}

	/**
	 * Return the {@link System#nanoTime()} when the last frame arrived.
	 */
	long lastSeen() {
		return this.lastSeen;
	}

	/**
	 * Whether a fragmented inbound message has been in progress for longer than the
	 * message assembly timeout.
	 * @param now a {@link System#nanoTime()}
	 */
	boolean assemblyTimedOut(long now, long timeoutNanos) {
		MessageAssembler assembler = this.assembler;
		return assembler != null && assembler.timedOut(now, timeoutNanos);
	}

	/**
	 * Give up on a fragmented message that takes too long: release its parts and close
	 * with {@link CloseStatus#ASSEMBLY_TIMEOUT}.
	 */
	void abortAssembly() {
		MessageAssembler assembler = this.assembler;
		if (assembler != null) {
			assembler.discard();
		}
		abort(CloseStatus.ASSEMBLY_TIMEOUT);
	}

	/**
	 * Whether the ping period has passed since the last ping; if so, the caller pings.
	 */
	boolean pingDue(long now, long pingPeriodNanos) {
		if (now - this.lastPing < pingPeriodNanos) {
			return false;
		}
		this.lastPing = now;
		return true;
	}

	/**
	 * Send the close frame and close the connection (see {@link SessionConnection}).
	 */
	void closeTransport(CloseStatus status) {
		this.connection.close(status);
	}

	/**
	 * Close after a failed write. A write that took too long closes with
	 * {@link CloseStatus#WRITE_TIMEOUT}, as the heartbeat would have; any other failure
	 * goes to the error handlers and closes with 1011.
	 */
	void writeFailed(Throwable failure, boolean timedOut) {
		if (timedOut) {
			abort(CloseStatus.WRITE_TIMEOUT);
			return;
		}
		if (!isClosed()) {
			this.handlers.error(this,
					(failure instanceof IOException) ? new ConnectionLostException(this.id, failure) : failure);
		}
		abort(CloseStatus.SERVER_ERROR.withReason("Write failed"));
	}

	void overflowed(BufferFullException ex) {
		this.handlers.error(this, ex);
		if (ex.getPolicy() == OverflowPolicy.CLOSE) {
			abort(CloseStatus.BUFFER_FULL);
		}
	}

	/**
	 * Close without flushing: fail what is queued, send the close frame and disconnect.
	 * Also ends the flush of a session that was closed gracefully.
	 */
	void abort(CloseStatus status) {
		boolean first = CLOSED.compareAndSet(this, false, true);
		if (this.writer.release()) {
			closeTransport(status);
		}
		if (first) {
			disconnect(status);
		}
	}

	private void dispatch(String kind, Handlers.Callback handler) {
		if (this.config.concurrentMessageHandling()) {
			this.threads.worker().execute(() -> this.handlers.invoke(this, kind, handler));
		}
		else {
			this.handlers.invoke(this, kind, handler);
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

	/**
	 * Take a token for a whole inbound message; over the limit, report it and apply the
	 * rate limit policy.
	 * @return whether the message may be handled
	 */
	private boolean withinRateLimit() {
		InboundRateLimiter limiter = this.rateLimiter;
		if (limiter == null || limiter.tryAcquire()) {
			return true;
		}
		RateLimitPolicy policy = this.config.inboundRateLimitPolicy();
		this.metrics.recorder().rejected("rate-limited");
		this.handlers.error(this, new RateLimitExceededException(this.id, this.config.inboundMessagesPerSecond(),
				this.config.inboundBurst(), policy));
		if (policy == RateLimitPolicy.CLOSE) {
			// What the session was sent before still leaves ahead of the close frame
			close(CloseStatus.RATE_LIMITED);
		}
		return false;
	}

	private void tooBig(MessageTooBigException ex) {
		this.handlers.error(this, ex);
		abort(CloseStatus.TOO_BIG.withReason("Message exceeds " + this.config.maxMessageSize() + " bytes"));
	}

	/**
	 * Return the status of a close the transport reported: the constant for a code
	 * without a reason where there is one, and {@link CloseStatus#NO_CLOSE_FRAME} with
	 * the reason for a code outside the range of close frames.
	 */
	private static CloseStatus closeStatus(int code, String reason) {
		if (code < 1000 || code > 4999) {
			return reason.isEmpty() ? CloseStatus.NO_CLOSE_FRAME : CloseStatus.NO_CLOSE_FRAME.withReason(reason);
		}
		if (reason.isEmpty()) {
			if (code == 1000) {
				return CloseStatus.NORMAL;
			}
			if (code == 1001) {
				return CloseStatus.GOING_AWAY;
			}
			if (code == 1006) {
				return CloseStatus.NO_CLOSE_FRAME;
			}
		}
		return new CloseStatus(code, reason);
	}

	private void disconnect(CloseStatus status) {
		this.registry.unregister(this);
		this.writer.retire();
		SessionRooms rooms = (SessionRooms) ROOMS.getAndSet(this, SessionRooms.LEFT);
		List<String> left = (rooms != null) ? rooms.leaveAll(this, this.registry.rooms()) : List.of();
		for (int i = 0; i < left.size(); i++) {
			this.handlers.left(this, left.get(i));
		}
		this.disconnectStatus = status;
		if (this.counted) {
			this.metrics.recorder().sessionClosed(CloseReason.of(status, this.registry.isClosed()));
		}
		if ((int) LIFECYCLE.getAndSet(this, DISCONNECTED) == OPEN) {
			this.handlers.disconnected(this, status);
		}
	}

}
