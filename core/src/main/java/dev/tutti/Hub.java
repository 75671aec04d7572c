package dev.tutti;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import dev.tutti.transport.Connection;
import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.Upgrade;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket hub: owns every session of an endpoint, calls the application's handlers on
 * handshake, connect, message, disconnect and error, and broadcasts.
 *
 * <pre class="code">
 * Hub hub = Hub.create();
 * hub.onMessage((session, text) -&gt; hub.broadcast(text));
 * </pre>
 * <p>
 * Thread-safe. Handlers may be registered at any time; registering a handler of a kind
 * that has one adds it: all of them run, in the order they were registered. With none
 * registered a kind does nothing, except errors, which are logged (see
 * {@link #onError(ErrorHandler)}). Handlers run on the container's threads (inbound
 * messages of one session one at a time, unless
 * {@link HubConfig#concurrentMessageHandling()} is on) or on the hub's threads, so they
 * should not block for long. A handler that throws is reported to the error handlers and
 * never affects other sessions.
 * <p>
 * Ordering guarantees: a session is registered (visible in {@link #sessions()} and to
 * broadcasts) when its handshake is accepted, before the upgrade response is sent, so
 * every broadcast made after a client saw its upgrade response reaches it; its buffer
 * holds the messages until the connection opens. The connect handlers run when the
 * connection opens, before any of its messages is handled; the disconnect handlers run
 * exactly once per session, after the session left the registry and its rooms and after
 * its connect handlers returned. A handshake that arrives while or after the hub closes
 * is refused.
 * <p>
 * Broadcasts never block and never wait for I/O: the message is encoded once and offered
 * to each recipient's bounded outbound buffer (see {@link Session}).
 */
public final class Hub implements AutoCloseable {

	private final HubConfig config;

	private final Handlers handlers;

	private final HubThreads threads;

	private final SessionRegistry registry;

	private final Heartbeat heartbeat;

	private final Broadcaster broadcaster;

	private final HubMetrics metrics = new HubMetrics();

	/** Completed once the hub is closed and every session that was open terminated. */
	private final CompletableFuture<Void> termination = new CompletableFuture<>();

	private Hub(HubConfig config) {
		this.config = config;
		this.handlers = new Handlers(config, this.metrics);
		this.threads = new HubThreads(config.name());
		this.registry = new SessionRegistry(config.name(), this::startHeartbeat, config.maxSessions());
		this.heartbeat = new Heartbeat(config, this.registry, this.threads);
		this.broadcaster = new Broadcaster(config.name(), this.registry, this.metrics);
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
	 * Add a handler that decides whether a handshake may proceed and seeds the new
	 * session's attributes. The handlers run in order until one refuses; a handshake that
	 * none refuses is accepted.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onHandshake(HandshakeHandler handler) {
		this.handlers.onHandshake(handler);
		return this;
	}

	/**
	 * Add a handler called when a session's connection has opened. The session is already
	 * registered.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onConnect(SessionHandler handler) {
		this.handlers.onConnect(handler);
		return this;
	}

	/**
	 * Add a handler called once when a session has ended, for any reason, with the status
	 * it closed with: the peer's, the application's, or one of the hub's such as
	 * {@link CloseStatus#PONG_TIMEOUT}. The session has already left the registry and its
	 * rooms (the leave handlers ran before).
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onDisconnect(CloseHandler handler) {
		this.handlers.onDisconnect(handler);
		return this;
	}

	/**
	 * Add a handler called when the peer sends a close frame, with its code and reason.
	 * Runs before the disconnect handlers.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onClose(CloseHandler handler) {
		this.handlers.onClose(handler);
		return this;
	}

	/**
	 * Add a handler of inbound text messages.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onMessage(MessageHandler<String> handler) {
		this.handlers.onMessage(handler);
		return this;
	}

	/**
	 * Handle every inbound text message as a value of one type, decoded with the hub's
	 * {@link #codec(Codec) codec}. A message that cannot be decoded goes to the error
	 * handlers as a {@link MessageDecodingException}; the session stays open.
	 * @param <T> the message type
	 * @param type the class to decode to
	 * @param handler the handler
	 * @return this hub
	 * @throws IllegalStateException if a typed handler of either form is registered
	 * already: a hub decodes every message to one type or selects the type by a property
	 * ({@link #onMessage(String, Class, MessageHandler)}), never both
	 */
	public <T> Hub onMessage(Class<T> type, MessageHandler<? super T> handler) {
		this.handlers.onMessage(Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
		return this;
	}

	/**
	 * Handle the inbound text messages whose type property (see
	 * {@link HubConfig#messageTypeProperty()}, {@code type} by default) equals the given
	 * name as values of the given class, decoded with the hub's {@link #codec(Codec)
	 * codec}. A malformed message, one without the type property or one of an unknown
	 * type goes to the error handlers as a {@link MessageDecodingException}; the session
	 * stays open.
	 * @param <T> the message type
	 * @param typeName the value of the type property, such as {@code chat}
	 * @param type the class to decode to
	 * @param handler the handler
	 * @return this hub
	 * @throws IllegalStateException if the type name has a handler already, or every
	 * message is decoded to one type ({@link #onMessage(Class, MessageHandler)})
	 */
	public <T> Hub onMessage(String typeName, Class<T> type, MessageHandler<? super T> handler) {
		this.handlers.onMessage(Objects.requireNonNull(typeName, "typeName"), Objects.requireNonNull(type, "type"),
				Objects.requireNonNull(handler, "handler"));
		return this;
	}

	/**
	 * Add a handler of inbound binary messages.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onBinaryMessage(MessageHandler<byte[]> handler) {
		this.handlers.onBinaryMessage(handler);
		return this;
	}

	/**
	 * Add a handler called after a text message was written to a session. Runs on the
	 * thread that completed the write; keep it short.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onSentMessage(MessageHandler<String> handler) {
		this.handlers.onSentMessage(handler);
		return this;
	}

	/**
	 * Add a handler called after a binary message was written to a session.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onSentBinaryMessage(MessageHandler<byte[]> handler) {
		this.handlers.onSentBinaryMessage(handler);
		return this;
	}

	/**
	 * Add a handler called when a session answers a ping.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onPong(SessionHandler handler) {
		this.handlers.onPong(handler);
		return this;
	}

	/**
	 * Add a handler of session errors: exceptions thrown by other handlers, transport
	 * errors, lost connections, dropped messages and oversize or undecodable messages;
	 * and of the errors of the hub's {@link #backplane(Backplane) backplane}
	 * ({@link BackplaneException}), which come with a {@code null} session. Normal closes
	 * (1000, 1001) are not errors. While no error handler is registered, errors are
	 * logged: those a client can cause ({@link TuttiException#isCausedByClient()}) at
	 * DEBUG without a stack trace, others at WARNING.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onError(ErrorHandler handler) {
		this.handlers.onError(handler);
		return this;
	}

	/**
	 * Add a handler called when a session has joined a room it was not in.
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onJoin(RoomHandler handler) {
		this.handlers.onJoin(handler);
		return this;
	}

	/**
	 * Add a handler called when a session has left a room, including when it disconnects
	 * (before the disconnect handlers run).
	 * @param handler the handler
	 * @return this hub
	 */
	public Hub onLeave(RoomHandler handler) {
		this.handlers.onLeave(handler);
		return this;
	}

	/**
	 * Set the codec used by {@link Session#writeJson(Object)},
	 * {@link #broadcastJson(Target, Object)} and typed message handlers.
	 * @param codec the codec
	 * @return this hub
	 */
	public Hub codec(Codec codec) {
		this.handlers.codec(Objects.requireNonNull(codec, "codec"));
		return this;
	}

	/**
	 * Return the codec.
	 * @return the codec, or {@code null} if none was set
	 */
	public @Nullable Codec codec() {
		return this.handlers.codec();
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
		return this.broadcaster.broadcast(target, Outbound.text(text, 0, null));
	}

	/**
	 * Broadcast a binary message to a target. The array is copied once.
	 * @param target the recipients
	 * @param data the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinary(Target target, byte[] data) {
		return this.broadcaster.broadcast(target, Outbound.binary(data, 0, null));
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
		return broadcast(target, this.handlers.requireCodec().encode(value));
	}

	/**
	 * Broadcast a text message to every session but one (melody's
	 * {@code BroadcastOthers}); the same as
	 * {@code broadcast(Target.allExcept(except), text)}.
	 * @param except the session that does not receive it
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastOthers(Session except, String text) {
		return broadcast(Target.allExcept(except), text);
	}

	/**
	 * Broadcast a text message to the given sessions (melody's
	 * {@code BroadcastMultiple}); the same as
	 * {@code broadcast(Target.sessions(ids of the sessions), text)}.
	 * @param recipients the recipients; sessions of other hubs are skipped
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastTo(Collection<? extends Session> recipients, String text) {
		List<String> ids = new ArrayList<>(recipients.size());
		recipients.forEach((session) -> ids.add(session.id()));
		return broadcast(Target.sessions(ids), text);
	}

	/**
	 * Broadcast a text message to the sessions of this hub that a filter accepts. The
	 * filter runs on the calling thread once per session. Unlike a {@link Target}, a
	 * filter cannot reach the sessions of other application instances.
	 * @param filter selects the recipients
	 * @param text the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastLocal(Predicate<? super Session> filter, String text) {
		return this.broadcaster.broadcastLocal(filter, Outbound.text(text, 0, null));
	}

	/**
	 * Broadcast a binary message to the sessions of this hub that a filter accepts. The
	 * array is copied once.
	 * @param filter selects the recipients
	 * @param data the message
	 * @return what the broadcast did
	 * @throws HubClosedException if the hub is closed
	 */
	public BroadcastResult broadcastBinaryLocal(Predicate<? super Session> filter, byte[] data) {
		return this.broadcaster.broadcastLocal(filter, Outbound.binary(data, 0, null));
	}

	// Cluster

	/**
	 * Join a cluster: relay every {@link Target} broadcast to the other application
	 * instances through a backplane, and deliver theirs to this hub's sessions. Set it
	 * before the hub serves sessions; {@link #close()} closes it.
	 * @param backplane the backplane
	 * @return this hub
	 * @throws IllegalStateException if the hub has a backplane already or is closed
	 */
	public Hub backplane(Backplane backplane) {
		Objects.requireNonNull(backplane, "backplane");
		synchronized (this.broadcaster) {
			if (this.broadcaster.backplane() != null) {
				throw new IllegalStateException("Hub '" + this.config.name() + "' has a backplane already");
			}
			if (isClosed()) {
				throw new HubClosedException(this.config.name());
			}
			backplane.start(new BackplaneNode(this.config.name(), this.broadcaster, this.registry, this.handlers));
			this.registry.rooms().listener(backplane::roomChanged);
			this.broadcaster.backplane(backplane);
		}
		return this;
	}

	/**
	 * Return the hub's backplane.
	 * @return the backplane, or {@code null} if the hub is not part of a cluster
	 */
	public @Nullable Backplane backplane() {
		return this.broadcaster.backplane();
	}

	/**
	 * Return the number of sessions open on every instance of the cluster, as the
	 * backplane last heard from each, or {@link #size()} without a backplane.
	 * @return the number of sessions
	 * @throws BackplaneException if the backplane cannot read the count
	 */
	public long clusterSize() {
		Backplane backplane = this.broadcaster.backplane();
		return (backplane != null) ? backplane.clusterSize() : size();
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
		return this.registry.rooms().sizes();
	}

	// Registry and lifecycle

	/**
	 * Return a snapshot of the open sessions, including those whose connection is still
	 * opening.
	 * @return the sessions, in no particular order
	 */
	public List<Session> sessions() {
		return List.copyOf(this.registry.sessions());
	}

	/**
	 * Return a snapshot of every open session's state, for operators: queue depths,
	 * silences, dropped messages.
	 * @return one entry per session, in no particular order
	 */
	public List<SessionInfo> sessionInfo() {
		List<SessionInfo> infos = new ArrayList<>(this.registry.size());
		this.registry.sessions().forEach((session) -> infos.add(session.info()));
		return infos;
	}

	/**
	 * Return a snapshot of one session's state.
	 * @param id the session id
	 * @return the session's state, or {@code null} if no open session has that id
	 */
	public @Nullable SessionInfo sessionInfo(String id) {
		DefaultSession session = this.registry.get(id);
		return (session != null) ? session.info() : null;
	}

	/**
	 * Close one session of this hub by id, for operators.
	 * @param id the session id
	 * @param status the close status to send
	 * @return {@code true} if an open session had that id
	 */
	public boolean closeSession(String id, CloseStatus status) {
		DefaultSession session = this.registry.get(id);
		if (session == null) {
			return false;
		}
		session.close(status);
		return true;
	}

	/**
	 * Return the number of open sessions.
	 * @return the number of sessions
	 */
	public int size() {
		return this.registry.size();
	}

	/**
	 * Close the hub: refuse new handshakes and close every session with
	 * {@link CloseStatus#GOING_AWAY} once its queued messages are written. Idempotent.
	 * @see #awaitTermination(Duration)
	 */
	@Override
	public void close() {
		close(CloseStatus.GOING_AWAY);
	}

	/**
	 * Close the hub and every session with the given status once its queued messages are
	 * written. Idempotent. When this method returns, {@link #size()} is 0 and the
	 * disconnect handlers have run for every session except one whose connect handlers
	 * are still running: its disconnect handlers run as soon as they return. The hub's
	 * threads end once every session has terminated.
	 * @param status the close status sent to every session
	 * @see #awaitTermination(Duration)
	 */
	// The termination future completes the hub's own; nothing else waits on it
	@SuppressWarnings("FutureReturnValueIgnored")
	public void close(CloseStatus status) {
		List<DefaultSession> open = this.registry.close();
		if (open == null) {
			return;
		}
		Backplane backplane = this.broadcaster.backplane();
		if (backplane != null) {
			try {
				backplane.close();
			}
			catch (RuntimeException ex) {
				this.handlers.error(null, ex);
			}
		}
		CompletableFuture<?>[] terminated = new CompletableFuture<?>[open.size()];
		for (int i = 0; i < terminated.length; i++) {
			DefaultSession session = open.get(i);
			session.close(status);
			terminated[i] = session.terminated();
		}
		CompletableFuture.allOf(terminated).whenComplete((result, failure) -> {
			this.threads.shutdown();
			this.termination.complete(null);
		});
	}

	/**
	 * Wait until the hub is closed and every session that was open then has terminated:
	 * its queued messages written and its close frame sent, or its connection ended
	 * otherwise (a write that times out ends it). On an open hub this waits for
	 * {@link #close()} as well.
	 * @param timeout how long to wait at most; zero or less only checks
	 * @return {@code true} if every session terminated, {@code false} if the timeout
	 * passed first
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitTermination(Duration timeout) throws InterruptedException {
		if (timeout.isNegative() || timeout.isZero()) {
			return this.termination.isDone();
		}
		try {
			this.termination.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
	}

	/**
	 * Whether the hub is closed.
	 * @return {@code true} once {@link #close()} was called
	 */
	public boolean isClosed() {
		return this.registry.isClosed();
	}

	// Transport SPI

	/**
	 * Run the handshake handlers for a handshake request and, if they accept it, register
	 * the new session. Called by transports before they send the upgrade response; see
	 * {@link Upgrade} for what the transport does next.
	 * @param request the request
	 * @return the upgrade: refused with 503 if the hub is closed or holds its
	 * {@link HubConfig#maxSessions() maximum of sessions} (before any handler runs), with
	 * 500 if a handler throws, with the handler's status if one refuses; otherwise
	 * accepted, to be opened with the connection or abandoned
	 */
	public Upgrade handshake(HandshakeRequest request) {
		HubObserver observer = this.handlers.observer();
		return (observer != HubObserver.NONE) ? observer.handshake(request, this::admit) : admit(request);
	}

	/**
	 * Return the outcome of a handshake, as {@code tutti.handshakes} counts it.
	 */
	static String outcome(Upgrade upgrade) {
		return (upgrade instanceof Refused refused) ? refused.outcome() : "accepted";
	}

	private Upgrade admit(HandshakeRequest request) {
		if (isClosed()) {
			return refusedAsClosed();
		}
		if (!this.registry.reserve()) {
			this.metrics.recorder().handshake("at-capacity");
			return new Refused(HandshakeResult.reject(503,
					"Hub '" + this.config.name() + "' is at its maximum of " + this.config.maxSessions() + " sessions"),
					"at-capacity");
		}
		boolean registered = false;
		try {
			HandshakeResult result = this.handlers.handshake(request);
			if (!result.accepted()) {
				this.metrics.recorder().handshake("rejected");
				return new Refused(result, "rejected");
			}
			DefaultSession session = new DefaultSession(request, this.registry, this.handlers, this.threads,
					this.heartbeat, this.config, this.metrics);
			try {
				this.registry.register(session);
			}
			catch (HubClosedException ex) {
				return refusedAsClosed();
			}
			registered = true;
			this.metrics.recorder().handshake("accepted");
			return session;
		}
		finally {
			if (!registered) {
				this.registry.cancel();
			}
		}
	}

	/**
	 * Refuse a handshake whose {@code Origin} the transport does not allow, with 403, and
	 * count it ({@code tutti.handshakes} with outcome {@code origin-refused}). For
	 * transports that check the origin themselves, before {@link #handshake}; no
	 * handshake handler runs.
	 * @param origin the refused origin
	 * @return the refused upgrade, whose result carries the status and reason to send
	 */
	public Upgrade refuseOrigin(String origin) {
		this.metrics.recorder().handshake("origin-refused");
		return new Refused(HandshakeResult.reject(403, "Origin '" + origin + "' is not allowed"), "origin-refused");
	}

	// For the hub's own views and tests

	SessionRegistry registry() {
		return this.registry;
	}

	Broadcaster broadcaster() {
		return this.broadcaster;
	}

	HubThreads threads() {
		return this.threads;
	}

	HubMetrics metrics() {
		return this.metrics;
	}

	Handlers handlers() {
		return this.handlers;
	}

	private Upgrade refusedAsClosed() {
		this.metrics.recorder().handshake("hub-closed");
		return new Refused(HandshakeResult.reject(503, "Hub '" + this.config.name() + "' is closed"), "hub-closed");
	}

	private void startHeartbeat() {
		this.heartbeat.start();
	}

	/**
	 * The upgrade of a refused handshake, with its outcome for the meters.
	 */
	private record Refused(HandshakeResult result, String outcome) implements Upgrade {

		@Override
		public ConnectionListener open(Connection connection) {
			throw new IllegalStateException("The handshake was refused with " + this.result.status());
		}

		@Override
		public void abandon() {
		}

	}

}
