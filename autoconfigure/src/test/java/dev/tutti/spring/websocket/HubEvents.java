package dev.tutti.spring.websocket;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tutti.CloseStatus;
import dev.tutti.HandshakeHandler;
import dev.tutti.HandshakeResult;
import dev.tutti.Hub;
import dev.tutti.MessageHandler;
import dev.tutti.Session;
import dev.tutti.SessionHandler;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;
import dev.tutti.test.TuttiTestClient;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A {@link TuttiHubCustomizer} that registers every handler of the hub, records what the
 * handlers see and lets each test plug in its own handshake, connect and message
 * behaviour. By default the hub echoes every message back to its sender.
 */
final class HubEvents implements TuttiHubCustomizer {

	private static final HandshakeHandler ACCEPT = (request) -> HandshakeResult.accept();

	private static final SessionHandler NOTHING = (session) -> {
	};

	private static final MessageHandler<String> ECHO = Session::write;

	private static final MessageHandler<byte[]> ECHO_BINARY = Session::writeBinary;

	private final List<Session> connects = new CopyOnWriteArrayList<>();

	private final List<Event> disconnects = new CopyOnWriteArrayList<>();

	private final List<Event> closes = new CopyOnWriteArrayList<>();

	private final List<Failure> errors = new CopyOnWriteArrayList<>();

	private final List<Session> pongs = new CopyOnWriteArrayList<>();

	private final List<Sent> sent = new CopyOnWriteArrayList<>();

	private volatile HandshakeHandler handshakeHandler = ACCEPT;

	private volatile SessionHandler connectHandler = NOTHING;

	private volatile MessageHandler<String> messageHandler = ECHO;

	private volatile MessageHandler<byte[]> binaryMessageHandler = ECHO_BINARY;

	@Override
	public void customize(Hub hub) {
		hub.onHandshake((request) -> this.handshakeHandler.handle(request));
		hub.onConnect((session) -> {
			this.connects.add(session);
			this.connectHandler.handle(session);
		});
		hub.onMessage((session, text) -> this.messageHandler.handle(session, text));
		hub.onBinaryMessage((session, data) -> this.binaryMessageHandler.handle(session, data));
		hub.onClose((session, status) -> this.closes.add(new Event(session, status)));
		hub.onDisconnect((session, status) -> this.disconnects.add(new Event(session, status)));
		hub.onError((session, error) -> this.errors.add(new Failure(session, error)));
		hub.onPong(this.pongs::add);
		hub.onSentMessage((session, text) -> this.sent.add(new Sent(session, text)));
		hub.onSentBinaryMessage((session, data) -> this.sent.add(new Sent(session, data)));
	}

	/**
	 * Forget the recorded events and restore the default behaviour.
	 */
	void reset() {
		this.handshakeHandler = ACCEPT;
		this.connectHandler = NOTHING;
		this.messageHandler = ECHO;
		this.binaryMessageHandler = ECHO_BINARY;
		this.connects.clear();
		this.disconnects.clear();
		this.closes.clear();
		this.errors.clear();
		this.pongs.clear();
		this.sent.clear();
	}

	void onHandshake(HandshakeHandler handler) {
		this.handshakeHandler = handler;
	}

	void onConnect(SessionHandler handler) {
		this.connectHandler = handler;
	}

	void onMessage(MessageHandler<String> handler) {
		this.messageHandler = handler;
	}

	/**
	 * Wait for the session of a client to connect.
	 * @param clientId the value of the client's {@code client} query parameter
	 * @return the session
	 */
	Session session(String clientId) {
		return await().pollInterval(Duration.ofMillis(10)).until(() -> find(clientId), (session) -> session != null);
	}

	/**
	 * Wait for the session of a client to connect.
	 * @param client a client that connected with a {@code client} query parameter
	 * @return the session
	 */
	Session session(TuttiTestClient client) {
		return session(clientId(client));
	}

	/**
	 * Return the value of a client's {@code client} query parameter.
	 * @param client the client
	 * @return the value, or an empty string if it has none
	 */
	static String clientId(TuttiTestClient client) {
		String query = client.uri().getRawQuery();
		if (query != null) {
			for (String parameter : query.split("&")) {
				if (parameter.startsWith("client=")) {
					return parameter.substring("client=".length());
				}
			}
		}
		return "";
	}

	List<Session> connects() {
		return this.connects;
	}

	List<Event> disconnects() {
		return this.disconnects;
	}

	List<CloseStatus> disconnectsOf(Session session) {
		return this.disconnects.stream().filter((event) -> event.session() == session).map(Event::status).toList();
	}

	List<CloseStatus> closesOf(Session session) {
		return this.closes.stream().filter((event) -> event.session() == session).map(Event::status).toList();
	}

	List<Throwable> errorsOf(Session session) {
		return this.errors.stream().filter((failure) -> failure.session() == session).map(Failure::error).toList();
	}

	List<Failure> errors() {
		return this.errors;
	}

	long pongsOf(Session session) {
		return this.pongs.stream().filter((pong) -> pong == session).count();
	}

	List<Object> sentTo(Session session) {
		return this.sent.stream().filter((sent) -> sent.session() == session).map(Sent::message).toList();
	}

	private @Nullable Session find(String clientId) {
		for (Session session : this.connects) {
			if (List.of(clientId).equals(session.queryParameters().get("client"))) {
				return session;
			}
		}
		return null;
	}

	/**
	 * A close or disconnect event.
	 *
	 * @param session the session
	 * @param status the status it reported
	 */
	record Event(Session session, CloseStatus status) {

	}

	/**
	 * An error reported to the hub's error handler.
	 *
	 * @param session the session
	 * @param error the error
	 */
	record Failure(Session session, Throwable error) {

	}

	/**
	 * A message reported to the sent handlers.
	 *
	 * @param session the session
	 * @param message a {@code String} or {@code byte[]}
	 */
	record Sent(Session session, Object message) {

	}

}
