package dev.tutti;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket hub: owns every session of an endpoint, calls the application's handlers on
 * connect, message, disconnect and error, and broadcasts.
 *
 * <pre class="code">
 * Hub hub = Hub.create();
 * hub.onMessage((session, text) -&gt; hub.broadcast(text));
 * </pre>
 * <p>
 * Thread-safe. Handlers may be registered at any time; each has a no-op default except
 * {@link #onError(ErrorHandler)}, whose default logs. Handlers run on the container's
 * threads (inbound messages of one session one at a time, unless
 * {@link HubConfig#concurrentMessageHandling()} is on) or on the hub's worker threads, so
 * they should not block for long. A handler that throws is reported to the error handler
 * and never affects other sessions.
 * <p>
 * Ordering guarantees: a session is registered (visible in {@link #sessions()} and to
 * broadcasts) before the connect handler runs and before any of its messages is handled;
 * the disconnect handler runs exactly once per session, after the session left the
 * registry and after its connect handler returned. A connection that arrives while or
 * after the hub closes is refused and never registered.
 * <p>
 * Broadcasts never block and never wait for I/O: the message is encoded once and offered
 * to each recipient's bounded outbound buffer (see {@link Session}).
 */
public final class Hub implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(Hub.class.getName());

	private static final ErrorHandler LOGGING_ERROR_HANDLER = (session, error) -> {
		Level level = (error instanceof BufferFullException || error instanceof ConnectionLostException) ? Level.DEBUG
				: Level.WARNING;
		if (logger.isLoggable(level)) {
			logger.log(level, "Error in " + session + ": " + error.getMessage(), error);
		}
	};

	/**
	 * Threads that send pings and close frames (the container may block on those) and run
	 * concurrent message handlers. Idle threads end after 30 seconds.
	 */
	private static final int WORKER_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

	/**
	 * Threads that drain the sessions of batching transports, one per CPU: they write a
	 * session's queued messages and flush them at once, and may block on a slow client
	 * for at most the write timeout, in which case the pool grows (see
	 * {@link WriterPool}).
	 */
	private static final int WRITER_THREADS = Runtime.getRuntime().availableProcessors();

	private final HubConfig config;

	private final Map<String, DefaultSession> sessions = new ConcurrentHashMap<>();

	final RoomIndex rooms = new RoomIndex();

	private final Set<DefaultSession> flushing = ConcurrentHashMap.newKeySet();

	private final ReadWriteLock lifecycleLock = new ReentrantReadWriteLock();

	private volatile boolean closed;

	/** The sessions that were open or flushing when the hub closed, until each ended. */
	private final Set<DefaultSession> terminating = ConcurrentHashMap.newKeySet();

	/** Whether {@link #terminating} holds every session the hub waits for. */
	private volatile boolean terminationTracked;

	private final CountDownLatch terminated = new CountDownLatch(1);

	private final Heartbeat heartbeat;

	private final ExecutorService worker;

	private final WriterPool writers;

	private volatile HandshakeHandler handshakeHandler = (request) -> HandshakeResult.accept();

	private volatile SessionHandler connectHandler = (session) -> {
	};

	private volatile CloseHandler disconnectHandler = (session, status) -> {
	};

	private volatile CloseHandler closeHandler = (session, status) -> {
	};

	private volatile MessageHandler<String> messageHandler = (session, text) -> {
	};

	private volatile MessageHandler<byte[]> binaryMessageHandler = (session, data) -> {
	};

	private volatile MessageHandler<String> sentMessageHandler = (session, text) -> {
	};

	private volatile MessageHandler<byte[]> sentBinaryMessageHandler = (session, data) -> {
	};

	private volatile SessionHandler pongHandler = (session) -> {
	};

	private volatile ErrorHandler errorHandler = LOGGING_ERROR_HANDLER;

	private volatile RoomHandler joinHandler = (session, room) -> {
	};

	private volatile RoomHandler leaveHandler = (session, room) -> {
	};

	private volatile @Nullable Codec codec;

	private @Nullable TypedDispatch typedDispatch;

	private Hub(HubConfig config) {
		this.config = config;
		this.worker = pool(WORKER_THREADS, "tutti-" + config.name() + "-worker-");
		this.writers = new WriterPool(WRITER_THREADS, "tutti-" + config.name() + "-writer-");
		this.heartbeat = new Heartbeat(this);
	}

	/**
	 * Create a hub with the default settings.
	 * @return a new open hub
	 */
	public static Hub create() {
		return create(HubConfig.defaults());
	}

	/**
	 * Create a hub.
	 * @param config the settings
	 * @return a new open hub
	 */
	public static Hub create(HubConfig config) {
		return new Hub(Objects.requireNonNull(config, "config"));
	}

	/**
	 * Return the hub's settings.
	 * @return the settings
	 */
	public HubConfig config() {
		return this.config;
	}

	// Handlers

	/**
	 * Set the handler that decides whether a handshake may proceed and seeds the new
	 * session's attributes. Default: accept every handshake.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onHandshake(HandshakeHandler handler) {
		this.handshakeHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called when a session has connected. The session is already
	 * registered.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onConnect(SessionHandler handler) {
		this.connectHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called once when a session has ended, for any reason, with the
	 * status it closed with: the peer's, the application's, or one of the hub's such as
	 * {@link CloseStatus#PONG_TIMEOUT}. The session has already left the registry.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onDisconnect(CloseHandler handler) {
		this.disconnectHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called when the peer sends a close frame, with its code and reason.
	 * Runs before the disconnect handler.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onClose(CloseHandler handler) {
		this.closeHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler of inbound text messages.
	 * @param handler the handler
	 * @return this hub
	 */
	public synchronized Hub onMessage(MessageHandler<String> handler) {
		this.messageHandler = Objects.requireNonNull(handler, "handler");
		this.typedDispatch = null;
		return this;
	}

	/**
	 * Handle every inbound text message as a value of one type, decoded with the hub's
	 * {@link #codec(Codec) codec}. Replaces the text message handler. A message that
	 * cannot be decoded goes to the error handler as a {@link MessageDecodingException};
	 * the session stays open.
	 * @param <T> the message type
	 * @param type the class to decode to
	 * @param handler the handler
	 * @return this hub
	 */
	public synchronized <T> Hub onMessage(Class<T> type, MessageHandler<? super T> handler) {
		typedDispatch().registerSingle(Objects.requireNonNull(type, "type"),
				Objects.requireNonNull(handler, "handler"));
		return this;
	}

	/**
	 * Handle the inbound text messages whose type property (see
	 * {@link HubConfig#messageTypeProperty()}, {@code type} by default) equals the given
	 * name as values of the given class, decoded with the hub's {@link #codec(Codec)
	 * codec}. Register one handler per message type; together they replace the text
	 * message handler. A malformed message, one without the type property or one of an
	 * unknown type goes to the error handler as a {@link MessageDecodingException}; the
	 * session stays open.
	 * @param <T> the message type
	 * @param typeName the value of the type property, such as {@code chat}
	 * @param type the class to decode to
	 * @param handler the handler
	 * @return this hub
	 */
	public synchronized <T> Hub onMessage(String typeName, Class<T> type, MessageHandler<? super T> handler) {
		typedDispatch().register(Objects.requireNonNull(typeName, "typeName"), Objects.requireNonNull(type, "type"),
				Objects.requireNonNull(handler, "handler"));
		return this;
	}

	/**
	 * Set the handler called when a session joins a room it was not in.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onJoin(RoomHandler handler) {
		this.joinHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called when a session leaves a room, including when it disconnects.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onLeave(RoomHandler handler) {
		this.leaveHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the codec used by {@link Session#writeJson(Object)},
	 * {@link #broadcastJson(Target, Object)} and typed message handlers.
	 * @param codec the codec
	 * @return this hub
	 */
	public Hub codec(Codec codec) {
		this.codec = Objects.requireNonNull(codec, "codec");
		return this;
	}

	/**
	 * Return the codec.
	 * @return the codec, or {@code null} if none was set
	 */
	public @Nullable Codec codec() {
		return this.codec;
	}

	/**
	 * Set the handler of inbound binary messages.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onBinaryMessage(MessageHandler<byte[]> handler) {
		this.binaryMessageHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called after a text message was written to a session. Runs on the
	 * thread that completed the write; keep it short.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onSentMessage(MessageHandler<String> handler) {
		this.sentMessageHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called after a binary message was written to a session.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onSentBinaryMessage(MessageHandler<byte[]> handler) {
		this.sentBinaryMessageHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler called when a session answers a ping.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onPong(SessionHandler handler) {
		this.pongHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Set the handler of session errors: exceptions thrown by other handlers, transport
	 * errors, lost connections, dropped messages and oversize messages. Normal closes
	 * (1000, 1001) are not errors. Default: log.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onError(ErrorHandler handler) {
		this.errorHandler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	// Broadcasts

	/**
	 * Broadcast a text message to every session.
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcast(String text) {
		return broadcast(Target.all(), text);
	}

	/**
	 * Broadcast a text message to a target: everyone, a room, a set of session ids, the
	 * sessions with an attribute value, or one of those minus a session.
	 * @param target the recipients
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcast(Target target, String text) {
		return deliver(target, Outbound.text(text, 0, null));
	}

	/**
	 * Broadcast a binary message to a target. The array is copied once.
	 * @param target the recipients
	 * @param data the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinary(Target target, byte[] data) {
		return deliver(target, Outbound.binary(data, 0, null));
	}

	/**
	 * Encode a value once with the hub's codec and broadcast it to a target as a text
	 * message.
	 * @param target the recipients
	 * @param value the value
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 * @throws IllegalStateException if the hub has no codec
	 */
	public BroadcastResult broadcastJson(Target target, Object value) {
		return broadcast(target, requireCodec().encode(value));
	}

	/**
	 * Broadcast a text message to the sessions the filter accepts. The filter runs on the
	 * calling thread once per session.
	 * @param text the message
	 * @param filter selects the recipients
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcast(String text, Predicate<? super Session> filter) {
		return fanOut(Outbound.text(text, 0, null), this.sessions.values(), filter);
	}

	/**
	 * Broadcast a text message to every session but one.
	 * @param text the message
	 * @param except the session that does not receive it
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastOthers(String text, Session except) {
		return broadcast(Target.allExcept(except.id()), text);
	}

	/**
	 * Broadcast a text message to the given sessions of this hub.
	 * @param text the message
	 * @param recipients the recipients; sessions of other hubs are skipped
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastTo(String text, Collection<? extends Session> recipients) {
		return fanOut(Outbound.text(text, 0, null), recipients, (session) -> true);
	}

	/**
	 * Broadcast a binary message to every session. The array is copied once.
	 * @param data the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinary(byte[] data) {
		return broadcastBinary(Target.all(), data);
	}

	/**
	 * Broadcast a binary message to the sessions the filter accepts.
	 * @param data the message
	 * @param filter selects the recipients
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinary(byte[] data, Predicate<? super Session> filter) {
		return fanOut(Outbound.binary(data, 0, null), this.sessions.values(), filter);
	}

	/**
	 * Broadcast a binary message to every session but one.
	 * @param data the message
	 * @param except the session that does not receive it
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinaryOthers(byte[] data, Session except) {
		return broadcastBinary(Target.allExcept(except.id()), data);
	}

	/**
	 * Broadcast a binary message to the given sessions of this hub.
	 * @param data the message
	 * @param recipients the recipients; sessions of other hubs are skipped
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinaryTo(byte[] data, Collection<? extends Session> recipients) {
		return fanOut(Outbound.binary(data, 0, null), recipients, (session) -> true);
	}

	// Rooms

	/**
	 * Return a room of this hub, whether or not it has members.
	 * @param name the room name
	 * @return a view of the room
	 */
	public Room room(String name) {
		return new Room(this, name);
	}

	/**
	 * Return the rooms that have members, with their sizes.
	 * @return a snapshot of room names to member counts, sorted by name
	 */
	public Map<String, Integer> rooms() {
		return this.rooms.sizes();
	}

	// Registry and lifecycle

	/**
	 * Return a snapshot of the open sessions.
	 * @return the sessions, in no particular order
	 */
	public List<Session> sessions() {
		return List.copyOf(this.sessions.values());
	}

	/**
	 * Return the number of open sessions.
	 * @return the number of sessions
	 */
	public int size() {
		return this.sessions.size();
	}

	/**
	 * Close the hub: refuse new connections and close every session with
	 * {@link CloseStatus#GOING_AWAY} once its queued messages are written. Idempotent.
	 */
	@Override
	public void close() {
		close(CloseStatus.GOING_AWAY);
	}

	/**
	 * Close the hub and every session with the given status. Idempotent. When this method
	 * returns, {@link #size()} is 0 and the disconnect handler has run for every session
	 * except one whose connect handler is still running: its disconnect handler runs as
	 * soon as the connect handler returns. The close frames follow the sessions' queued
	 * messages: {@link #awaitTermination(Duration)} waits for them.
	 * @param status the close status sent to every session
	 */
	public void close(CloseStatus status) {
		this.lifecycleLock.writeLock().lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		finally {
			this.lifecycleLock.writeLock().unlock();
		}
		this.terminating.addAll(this.sessions.values());
		this.terminating.addAll(this.flushing);
		this.sessions.values().forEach((session) -> session.close(status));
		this.heartbeat.stop();
		// A session that ended before it was added never removes itself
		this.terminating.removeIf(DefaultSession::hasEnded);
		this.terminationTracked = true;
		terminateIfDone();
	}

	/**
	 * Wait until every session that was open when the hub closed, or closed but still
	 * writing its queued messages, has sent its close frame or ended otherwise (the peer
	 * closed the connection, or a write timed out). Each session takes at most about
	 * twice the write timeout: one for its queued messages, one for the close frame. On a
	 * hub that is not closed yet, waits for {@link #close()} as well. Thread-safe; may be
	 * called any number of times.
	 * @param timeout how long to wait at most; zero or negative to check without waiting
	 * @return {@code true} if every session is done, {@code false} if the timeout passed
	 * first
	 * @throws InterruptedException if the calling thread is interrupted while waiting
	 */
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		return this.terminated.await(TimeUnit.NANOSECONDS.convert(Objects.requireNonNull(timeout, "timeout")),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Whether the hub is closed.
	 * @return {@code true} once {@link #close()} was called
	 */
	public boolean isClosed() {
		return this.closed;
	}

	// Transport SPI

	/**
	 * Run the handshake handler for a handshake request. Called by transports before the
	 * upgrade.
	 * @param request the request
	 * @return the handler's result; a rejection with 503 if the hub is closed, with 500
	 * if the handler throws
	 */
	public HandshakeResult handshake(HandshakeRequest request) {
		if (this.closed) {
			return HandshakeResult.reject(503, "Hub '" + this.config.name() + "' is closed");
		}
		try {
			return Objects.requireNonNull(this.handshakeHandler.handle(request), "HandshakeHandler returned null");
		}
		catch (Exception ex) {
			logger.log(Level.WARNING, "Handshake handler of hub '" + this.config.name() + "' failed", ex);
			return HandshakeResult.reject(500, "Handshake failed");
		}
	}

	/**
	 * Register a new connection as a session and run the connect handler. Called by
	 * transports once the connection is open.
	 * @param connection the connection
	 * @return the listener the transport reports the connection's events to
	 * @throws HubClosedException if the hub is closed; the transport must then close the
	 * connection with the exception's close status
	 */
	public ConnectionListener open(Connection connection) {
		DefaultSession session = new DefaultSession(this, connection);
		this.lifecycleLock.readLock().lock();
		try {
			if (this.closed) {
				throw new HubClosedException(this.config.name());
			}
			this.sessions.put(session.id(), session);
		}
		finally {
			this.lifecycleLock.readLock().unlock();
		}
		this.heartbeat.start();
		invoke(session, () -> this.connectHandler.handle(session));
		session.connected();
		return session;
	}

	// Internals used by sessions

	void unregister(DefaultSession session) {
		this.sessions.remove(session.id(), session);
	}

	/**
	 * Note that a session has sent its close frame or that its connection is closed.
	 * Called once or twice per session, after {@link DefaultSession#hasEnded()} turned
	 * {@code true}.
	 */
	void sessionEnded(DefaultSession session) {
		if (this.terminating.remove(session)) {
			terminateIfDone();
		}
	}

	Heartbeat heartbeat() {
		return this.heartbeat;
	}

	WriterPool writers() {
		return this.writers;
	}

	Collection<DefaultSession> registeredSessions() {
		return this.sessions.values();
	}

	/**
	 * Return the closed sessions whose writer still flushes before the close frame; the
	 * heartbeat enforces their write timeout.
	 */
	Set<DefaultSession> flushingSessions() {
		return this.flushing;
	}

	void dispatchText(DefaultSession session, String text) {
		dispatch(session, () -> this.messageHandler.handle(session, text));
	}

	void dispatchBinary(DefaultSession session, byte[] data) {
		dispatch(session, () -> this.binaryMessageHandler.handle(session, data));
	}

	void fireSent(DefaultSession session, Outbound message) {
		if (message.isBinary()) {
			invoke(session, () -> this.sentBinaryMessageHandler.handle(session, message.bytes()));
		}
		else {
			invoke(session, () -> this.sentMessageHandler.handle(session, message.text()));
		}
	}

	void firePong(DefaultSession session) {
		invoke(session, () -> this.pongHandler.handle(session));
	}

	void fireClose(DefaultSession session, CloseStatus status) {
		invoke(session, () -> this.closeHandler.handle(session, status));
	}

	void fireDisconnect(DefaultSession session, CloseStatus status) {
		invoke(session, () -> this.disconnectHandler.handle(session, status));
	}

	void fireJoin(DefaultSession session, String room) {
		invoke(session, () -> this.joinHandler.handle(session, room));
	}

	void fireLeave(DefaultSession session, String room) {
		invoke(session, () -> this.leaveHandler.handle(session, room));
	}

	Codec requireCodec() {
		Codec codec = this.codec;
		if (codec == null) {
			throw new IllegalStateException(
					"Hub '" + this.config.name() + "' has no codec; set one with Hub.codec(...)");
		}
		return codec;
	}

	void fireError(DefaultSession session, Throwable error) {
		try {
			this.errorHandler.handle(session, error);
		}
		catch (Throwable ex) {
			logger.log(Level.WARNING, "Error handler of hub '" + this.config.name() + "' failed", ex);
		}
	}

	void runOnWorker(Runnable task) {
		execute(this.worker, task);
	}

	void runOnWriter(Runnable task) {
		execute(this.writers, task);
	}

	/**
	 * Run a task on a pool, or on the calling thread if the pool refuses it.
	 */
	private static void execute(ExecutorService pool, Runnable task) {
		try {
			pool.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.run();
		}
	}

	/**
	 * Run an inbound message handler on the calling thread, or on a worker thread when
	 * concurrent message handling is on.
	 */
	private void dispatch(DefaultSession session, Callback handler) {
		if (this.config.concurrentMessageHandling()) {
			runOnWorker(() -> invoke(session, handler));
		}
		else {
			invoke(session, handler);
		}
	}

	void logDebug(Supplier<String> message) {
		logger.log(Level.DEBUG, message);
	}

	private static ExecutorService pool(int threads, String namePrefix) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), Heartbeat.daemonThreads(namePrefix));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	private void terminateIfDone() {
		if (this.terminationTracked && this.terminating.isEmpty()) {
			this.terminated.countDown();
		}
	}

	private TypedDispatch typedDispatch() {
		TypedDispatch dispatch = this.typedDispatch;
		if (dispatch == null) {
			dispatch = new TypedDispatch(this);
			this.typedDispatch = dispatch;
			this.messageHandler = dispatch;
		}
		return dispatch;
	}

	private BroadcastResult deliver(Target target, Outbound message) {
		return fanOut(message, candidates(target), matcher(target));
	}

	/**
	 * Return the sessions a target can reach without scanning more than it must: a room's
	 * members, the sessions with the given ids, or everyone.
	 */
	private Iterable<? extends Session> candidates(Target target) {
		if (target instanceof Target.Room room) {
			return this.rooms.members(room.name());
		}
		if (target instanceof Target.Sessions ids) {
			return ids.ids().stream().map(this.sessions::get).filter(Objects::nonNull).toList();
		}
		if (target instanceof Target.Except except) {
			return candidates(except.target());
		}
		return this.sessions.values();
	}

	private static Predicate<Session> matcher(Target target) {
		if (target instanceof Target.AttributeEquals attribute) {
			return (session) -> attribute.value().equals(session.get(attribute.key()));
		}
		if (target instanceof Target.Except except) {
			Predicate<Session> inner = matcher(except.target());
			return (session) -> !session.id().equals(except.sessionId()) && inner.test(session);
		}
		return (session) -> true;
	}

	private BroadcastResult fanOut(Outbound message, Iterable<? extends Session> recipients,
			Predicate<? super Session> filter) {
		if (this.closed) {
			throw new HubClosedException(this.config.name());
		}
		int offered = 0;
		int dropped = 0;
		for (Session recipient : recipients) {
			if (recipient instanceof DefaultSession session && session.hub() == this && filter.test(session)) {
				SessionWriter.Offer offer = session.offer(message);
				if (offer != SessionWriter.Offer.CLOSED) {
					offered++;
					dropped += offer.dropped();
				}
			}
		}
		return new BroadcastResult(offered, dropped);
	}

	private void invoke(DefaultSession session, Callback callback) {
		try {
			callback.run();
		}
		catch (Throwable ex) {
			fireError(session, ex);
		}
	}

	@FunctionalInterface
	private interface Callback {

		void run() throws Exception;

	}

}
