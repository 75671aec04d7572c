package dev.tutti;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The hub's handlers: registration, firing and typed dispatch. Every kind of handler
 * holds a list; handlers registered more than once (for example by several Spring
 * customizers) all run, in the order they were registered. Every handler runs behind a
 * guard: what it throws goes to the error handlers, never to the caller.
 * <p>
 * Thread-safe: registration copies the list, firing reads a snapshot without locking.
 */
final class Handlers {

	private static final System.Logger logger = System.getLogger(Hub.class.getName());

	private final String hubName;

	private volatile List<HandshakeHandler> handshake = List.of();

	private volatile List<SessionHandler> connect = List.of();

	private volatile List<CloseHandler> disconnect = List.of();

	private volatile List<CloseHandler> close = List.of();

	private volatile List<MessageHandler<String>> text = List.of();

	private volatile List<MessageHandler<byte[]>> binary = List.of();

	private volatile List<MessageHandler<String>> sentText = List.of();

	private volatile List<MessageHandler<byte[]>> sentBinary = List.of();

	private volatile List<SessionHandler> pong = List.of();

	private volatile List<ErrorHandler> error = List.of();

	private volatile List<RoomHandler> join = List.of();

	private volatile List<RoomHandler> leave = List.of();

	private volatile @Nullable Codec codec;

	private volatile HubObserver observer = HubObserver.NONE;

	private TypedDispatch typed;

	private final HubMetrics metrics;

	Handlers(HubConfig config, HubMetrics metrics) {
		this.hubName = config.name();
		this.metrics = metrics;
		this.typed = new TypedDispatch(this, config);
	}

	// Registration

	synchronized void onHandshake(HandshakeHandler handler) {
		this.handshake = append(this.handshake, handler);
	}

	synchronized void onConnect(SessionHandler handler) {
		this.connect = append(this.connect, handler);
	}

	synchronized void onDisconnect(CloseHandler handler) {
		this.disconnect = append(this.disconnect, handler);
	}

	synchronized void onClose(CloseHandler handler) {
		this.close = append(this.close, handler);
	}

	synchronized void onMessage(MessageHandler<String> handler) {
		this.text = append(this.text, handler);
	}

	synchronized <T> void onMessage(Class<T> type, MessageHandler<? super T> handler) {
		boolean first = this.typed.isEmpty();
		this.typed.registerSingle(type, handler);
		if (first) {
			this.text = append(this.text, this.typed);
		}
	}

	synchronized <T> void onMessage(String typeName, Class<T> type, MessageHandler<? super T> handler) {
		boolean first = this.typed.isEmpty();
		this.typed.register(typeName, type, handler);
		if (first) {
			this.text = append(this.text, this.typed);
		}
	}

	synchronized void onBinaryMessage(MessageHandler<byte[]> handler) {
		this.binary = append(this.binary, handler);
	}

	synchronized void onSentMessage(MessageHandler<String> handler) {
		this.sentText = append(this.sentText, handler);
	}

	synchronized void onSentBinaryMessage(MessageHandler<byte[]> handler) {
		this.sentBinary = append(this.sentBinary, handler);
	}

	synchronized void onPong(SessionHandler handler) {
		this.pong = append(this.pong, handler);
	}

	synchronized void onError(ErrorHandler handler) {
		this.error = append(this.error, handler);
	}

	synchronized void onJoin(RoomHandler handler) {
		this.join = append(this.join, handler);
	}

	synchronized void onLeave(RoomHandler handler) {
		this.leave = append(this.leave, handler);
	}

	void codec(Codec codec) {
		this.codec = codec;
	}

	@Nullable Codec codec() {
		return this.codec;
	}

	Codec requireCodec() {
		Codec codec = this.codec;
		if (codec == null) {
			throw new IllegalStateException("Hub '" + this.hubName + "' has no codec; set one with Hub.codec(...)");
		}
		return codec;
	}

	// Firing

	/**
	 * Run the handshake handlers in order until one refuses.
	 */
	HandshakeResult handshake(HandshakeRequest request) {
		List<HandshakeHandler> handlers = this.handshake;
		for (int i = 0; i < handlers.size(); i++) {
			HandshakeResult result;
			try {
				result = Objects.requireNonNull(handlers.get(i).handle(request), "HandshakeHandler returned null");
			}
			catch (Exception ex) {
				logger.log(Level.WARNING, "Handshake handler of hub '" + this.hubName + "' failed", ex);
				return HandshakeResult.reject(500, "Handshake failed");
			}
			if (!result.accepted()) {
				return result;
			}
		}
		return HandshakeResult.accept();
	}

	void connected(Session session) {
		List<SessionHandler> handlers = this.connect;
		for (int i = 0; i < handlers.size(); i++) {
			try {
				handlers.get(i).handle(session);
			}
			catch (Throwable ex) {
				failed(session, "connect", ex);
			}
		}
	}

	void disconnected(Session session, CloseStatus status) {
		fire(this.disconnect, "disconnect", session, status);
	}

	void closeReceived(Session session, CloseStatus status) {
		fire(this.close, "close", session, status);
	}

	void text(Session session, String message) {
		HubObserver observer = this.observer;
		if (observer == HubObserver.NONE) {
			fire(this.text, "message", session, message);
		}
		else {
			observer.message(session, false, () -> fire(this.text, "message", session, message));
		}
	}

	void binary(Session session, byte[] message) {
		HubObserver observer = this.observer;
		if (observer == HubObserver.NONE) {
			fire(this.binary, "binary-message", session, message);
		}
		else {
			observer.message(session, true, () -> fire(this.binary, "binary-message", session, message));
		}
	}

	/**
	 * Observe handshakes and inbound messages from now on.
	 */
	void observe(HubObserver observer) {
		this.observer = observer;
	}

	HubObserver observer() {
		return this.observer;
	}

	/**
	 * Run the sent handlers of a written message; costs a field read when there are none.
	 */
	void sent(Session session, Outbound message) {
		if (message.isBinary()) {
			if (!this.sentBinary.isEmpty()) {
				fire(this.sentBinary, "sent", session, message.bytes());
			}
		}
		else if (!this.sentText.isEmpty()) {
			fire(this.sentText, "sent", session, message.text());
		}
	}

	void pong(Session session) {
		List<SessionHandler> handlers = this.pong;
		for (int i = 0; i < handlers.size(); i++) {
			SessionHandler handler = handlers.get(i);
			invoke(session, "pong", () -> handler.handle(session));
		}
	}

	void joined(Session session, String room) {
		fireRoom(this.join, "join", session, room);
	}

	void left(Session session, String room) {
		fireRoom(this.leave, "leave", session, room);
	}

	/**
	 * Report an error to the error handlers, or log it if there are none: at DEBUG and
	 * without a stack trace when a client caused it (see
	 * {@link TuttiException#isCausedByClient()}), so that no client can flood the log; at
	 * WARNING otherwise.
	 */
	void error(@Nullable Session session, Throwable failure) {
		List<ErrorHandler> handlers = this.error;
		if (handlers.isEmpty()) {
			log(session, failure);
			return;
		}
		for (int i = 0; i < handlers.size(); i++) {
			try {
				handlers.get(i).handle(session, failure);
			}
			catch (Throwable ex) {
				logger.log(Level.WARNING, "Error handler of hub '" + this.hubName + "' failed", ex);
			}
		}
	}

	/**
	 * Run a handler of a kind (connect, message, ...) behind the guard: what it throws
	 * goes to the error handlers and, unless a client caused it (an undecodable message),
	 * counts as an error of that kind of handler.
	 * @return what the handler threw, or {@code null}
	 */
	@Nullable Throwable invoke(Session session, String kind, Callback callback) {
		try {
			callback.run();
			return null;
		}
		catch (Throwable ex) {
			failed(session, kind, ex);
			return ex;
		}
	}

	/**
	 * Report what a handler of a kind threw: to the error handlers and, unless a client
	 * caused it, as an error of that kind of handler. The handlers that run for every
	 * connection call their handlers with this in their own {@code catch}, so that no
	 * callback is made per call.
	 */
	private void failed(Session session, String kind, Throwable ex) {
		if (!(ex instanceof TuttiException tutti && tutti.isCausedByClient())) {
			this.metrics.recorder().handlerError(kind);
		}
		error(session, ex);
	}

	/**
	 * Run message handlers behind the guard.
	 * @return the first failure, or {@code null}
	 */
	private <T> @Nullable Throwable fire(List<MessageHandler<T>> handlers, String kind, Session session, T message) {
		Throwable first = null;
		for (int i = 0; i < handlers.size(); i++) {
			try {
				handlers.get(i).handle(session, message);
			}
			catch (Throwable ex) {
				failed(session, kind, ex);
				if (first == null) {
					first = ex;
				}
			}
		}
		return first;
	}

	private void fire(List<CloseHandler> handlers, String kind, Session session, CloseStatus status) {
		for (int i = 0; i < handlers.size(); i++) {
			try {
				handlers.get(i).handle(session, status);
			}
			catch (Throwable ex) {
				failed(session, kind, ex);
			}
		}
	}

	private void fireRoom(List<RoomHandler> handlers, String kind, Session session, String room) {
		for (int i = 0; i < handlers.size(); i++) {
			try {
				handlers.get(i).handle(session, room);
			}
			catch (Throwable ex) {
				failed(session, kind, ex);
			}
		}
	}

	private void log(@Nullable Session session, Throwable failure) {
		if (failure instanceof TuttiException ex && ex.isCausedByClient()) {
			if (logger.isLoggable(Level.DEBUG)) {
				logger.log(Level.DEBUG,
						"Hub '" + this.hubName + "', " + subject(session) + ": " + failure.getMessage());
			}
		}
		else {
			logger.log(Level.WARNING,
					"Error in hub '" + this.hubName + "', " + subject(session) + ": " + failure.getMessage(), failure);
		}
	}

	private static String subject(@Nullable Session session) {
		return (session != null) ? session.toString() : "backplane";
	}

	private static <T> List<T> append(List<T> handlers, T handler) {
		Objects.requireNonNull(handler, "handler");
		List<T> copy = new ArrayList<>(handlers.size() + 1);
		copy.addAll(handlers);
		copy.add(handler);
		return List.copyOf(copy);
	}

	/**
	 * A handler invocation that may throw.
	 */
	@FunctionalInterface
	interface Callback {

		void run() throws Exception;

	}

}
