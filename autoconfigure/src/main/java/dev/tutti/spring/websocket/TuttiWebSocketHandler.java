package dev.tutti.spring.websocket;

import java.util.Objects;

import dev.tutti.Hub;
import dev.tutti.transport.ConnectionListener;
import dev.tutti.transport.Upgrade;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A Spring {@link WebSocketHandler} that hands every connection to a {@link Hub}: it
 * opens the session that the {@link TuttiHandshakeInterceptor} of the same hub registered
 * at handshake time, and reports the connection's frames and close to it. Receives
 * partial messages, so the container's per-connection buffers stay small while the hub
 * reassembles messages up to its maximum size. Sends every message as one frame, small
 * ones coalesced, through Tomcat's frame writer when it is there and the Jakarta
 * WebSocket basic remote endpoint otherwise (see {@link JakartaConnection}).
 * <p>
 * Register it together with a {@link TuttiHandshakeInterceptor} for the same hub.
 * Thread-safe.
 */
public class TuttiWebSocketHandler implements WebSocketHandler {

	private static final String LISTENER_ATTRIBUTE = TuttiWebSocketHandler.class.getName() + ".listener";

	private final Hub hub;

	private final FrameBufferNotice frameBufferNotice = new FrameBufferNotice();

	private final @Nullable TomcatFrames frames;

	/**
	 * Create a handler for the given hub.
	 * @param hub the hub that owns the sessions
	 */
	public TuttiWebSocketHandler(Hub hub) {
		this(hub, true);
	}

	/**
	 * Create a handler for the given hub that may be told to use only the standard
	 * Jakarta WebSocket API, even on Tomcat.
	 * @param hub the hub that owns the sessions
	 * @param tomcatFrames whether to write frames through Tomcat's frame writer when it
	 * can be reached
	 */
	TuttiWebSocketHandler(Hub hub, boolean tomcatFrames) {
		this.hub = Objects.requireNonNull(hub, "hub");
		this.frames = tomcatFrames ? TomcatFrames.get() : null;
	}

	/**
	 * Return the hub this handler serves.
	 * @return the hub
	 */
	public Hub getHub() {
		return this.hub;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		Upgrade upgrade = (Upgrade) session.getAttributes().remove(TuttiHandshakeInterceptor.UPGRADE_ATTRIBUTE);
		jakarta.websocket.Session nativeSession = (session instanceof NativeWebSocketSession nativeAware)
				? nativeAware.getNativeSession(jakarta.websocket.Session.class) : null;
		if (upgrade == null || nativeSession == null) {
			if (upgrade != null) {
				upgrade.abandon();
			}
			session.close(CloseStatus.SERVER_ERROR.withReason((upgrade == null)
					? "Tutti needs its handshake interceptor" : "Tutti needs a Jakarta WebSocket container"));
			return;
		}
		JakartaConnection connection = new JakartaConnection(session, nativeSession, this.hub.config().writeTimeout(),
				this.frames, this.frameBufferNotice);
		session.getAttributes().put(LISTENER_ATTRIBUTE, upgrade.open(connection));
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		ConnectionListener listener = listener(session);
		if (listener == null) {
			return;
		}
		if (message instanceof TextMessage text) {
			listener.onText(text.getPayload(), text.isLast());
		}
		else if (message instanceof BinaryMessage binary) {
			listener.onBinary(binary.getPayload(), binary.isLast());
		}
		else if (message instanceof PongMessage pong) {
			listener.onPong(pong.getPayload());
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		ConnectionListener listener = listener(session);
		if (listener != null) {
			listener.onError(exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		ConnectionListener listener = listener(session);
		if (listener != null) {
			String reason = closeStatus.getReason();
			listener.onClosed(closeStatus.getCode(), (reason != null) ? reason : "");
		}
	}

	/**
	 * Return {@code true}: messages arrive in parts no larger than the container's
	 * buffers and the hub reassembles them.
	 */
	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static @Nullable ConnectionListener listener(WebSocketSession session) {
		return (ConnectionListener) session.getAttributes().get(LISTENER_ATTRIBUTE);
	}

}
